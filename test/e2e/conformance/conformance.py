"""
Checks raw HTTP responses against the official AWS API models (botocore's service models), independently of
the local stack's own code: required members, types, enums, patterns, lengths/ranges and unknown members,
for the four protocols the product talks to (Bedrock and Bedrock Runtime: rest-json; S3: rest-xml; Step
Functions: json 1.0).

botocore's parsers are lenient (they drop unknown members and accept nulls), so this module reads the raw
body captured at `before-parse` instead of the parsed dict.

Wire rules used here (botocore serializers / Smithy protocol specs):
- json and rest-json bodies: timestamps are epoch seconds unless the shape says `timestampFormat`
  (Bedrock's `Timestamp` shape says iso8601); blobs are base64 strings.
- rest-xml bodies: timestamps iso8601; headers: rfc822 (http-date) unless the shape says otherwise.
- `pattern` is an ECMA-262 regex that is not implicitly anchored (Smithy `@pattern`): matched with search.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import email.utils
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

# Known, sourced differences between what AWS really returns and its own API model. A problem whose
# (service, operation, path pattern, check) matches an entry is reported as "allowed", not as a failure.
# path patterns use `[]` for any list index and `{}` for any map key.
ALLOWED: list[dict[str, str]] = [
    {
        'service': 'events',
        'operation': 'DeleteRule',
        'path': '',
        'check': 'error',
        'source': "AWS answers a rule that still has targets with an unmodeled ValidationException \"Rule can't be "
        "deleted since it has targets.\" (observed on live accounts: getmoto/moto#5056, rebuy-de/aws-nuke#877, "
        "hashicorp/terraform-provider-aws#18519)",
    },
    {
        'service': 'bedrock',
        'operation': 'ListFoundationModels',
        'path': 'modelSummaries[].modelName',
        'check': 'length',
        'source': 'bedrock-facts.md §11.8: the model says modelName max 20, AWS returns longer names '
        '(e.g. "Llama 3.2 11B Instruct"), so the local catalog returns the real names',
    },
    {
        'service': 'bedrock',
        'operation': 'GetFoundationModel',
        'path': 'modelDetails.modelName',
        'check': 'length',
        'source': 'bedrock-facts.md §11.8 (same modelName shape as ListFoundationModels)',
    },
]

# S3 models few of its errors; their HTTP status is in the S3 API Reference's "List of error codes"
# (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList).
S3_ERROR_STATUS = {
    'AccessDenied': 403, 'BucketAlreadyExists': 409, 'BucketAlreadyOwnedByYou': 409, 'BucketNotEmpty': 409,
    'EntityTooSmall': 400, 'InvalidArgument': 400, 'InvalidBucketName': 400, 'InvalidPart': 400,
    'InvalidPartOrder': 400, 'InvalidRange': 416, 'MalformedXML': 400, 'MethodNotAllowed': 405,
    'NoSuchBucket': 404, 'NoSuchKey': 404, 'NoSuchUpload': 404, 'NotImplemented': 501, 'PreconditionFailed': 412,
}

_PATTERN_CACHE: dict[str, re.Pattern[str] | str] = {}


# Java/ECMA property classes that occur in AWS models and that Python's `re` lacks, as class contents.
_PROPERTY_CLASSES = {
    'Alnum': 'a-zA-Z0-9',
    'Alpha': 'a-zA-Z',
    'Digit': '0-9',
    'Punct': '!-/:-@\\[-`{-~',
    'ASCII': '\\x00-\\x7F',
    'L': '^\\W\\d_',
    'Z': '\\s',
}


def _translate(pattern: str) -> str:
    """\\p{X} -> its range, bracketed when it stands outside a character class."""
    out, i, in_class = [], 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == '\\' and pattern.startswith('p{', i + 1):
            close = pattern.find('}', i)
            name = pattern[i + 3 : close]
            if name in _PROPERTY_CLASSES and close > 0:
                body = _PROPERTY_CLASSES[name]
                if in_class and body.startswith('^'):
                    raise re.error(f'\\p{{{name}}} inside a character class has no re equivalent here')
                out.append(body if in_class else f'[{body}]')
                i = close + 1
                continue
        if ch == '\\':
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if ch == '[' and not in_class:
            in_class = True
        elif ch == ']' and in_class:
            in_class = False
        out.append(ch)
        i += 1
    return ''.join(out)


def _compile(pattern: str) -> re.Pattern[str] | str:
    """The regex, or a reason string when Python's `re` cannot compile the model's pattern."""
    if pattern not in _PATTERN_CACHE:
        try:
            _PATTERN_CACHE[pattern] = re.compile(_translate(pattern), re.DOTALL)
        except re.error as error:
            _PATTERN_CACHE[pattern] = f'pattern not compilable by Python re ({error}): {pattern}'
    return _PATTERN_CACHE[pattern]


@dataclass
class Result:
    problems: list[str] = field(default_factory=list)
    allowed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _path_matches(pattern: str, path: str) -> bool:
    regex = re.escape(pattern).replace(r'\[\]', r'\[\d+\]').replace(r'\{\}', r'\{[^}]*\}')
    return re.fullmatch(regex, path) is not None


class Checker:
    def __init__(self, service: str, operation: str, protocol: str):
        self.service = service
        self.operation = operation
        self.protocol = protocol
        self.result = Result()

    def problem(self, path: str, check: str, message: str) -> None:
        for entry in ALLOWED:
            if (
                entry['service'] == self.service
                and entry['operation'] == self.operation
                and entry['check'] == check
                and _path_matches(entry['path'], path)
            ):
                self.result.allowed.append(f'{path}: {message} (allowed: {entry["source"]})')
                return
        self.result.problems.append(f'{path or "<root>"}: {message}')

    # ---- scalars (shared by all protocols) -------------------------------------------------------------
    def check_string(self, shape: Any, value: str, path: str) -> None:
        enum = shape.enum
        if enum and value not in enum:
            self.problem(path, 'enum', f'{value!r} is not one of {shape.name} {sorted(enum)}')
        meta = shape.metadata
        if 'min' in meta and len(value) < meta['min']:
            self.problem(path, 'length', f'length {len(value)} < min {meta["min"]} of {shape.name}')
        if 'max' in meta and len(value) > meta['max']:
            self.problem(path, 'length', f'length {len(value)} > max {meta["max"]} of {shape.name}')
        if 'pattern' in meta:
            compiled = _compile(meta['pattern'])
            if isinstance(compiled, str):
                self.result.skipped.append(f'{path}: {compiled}')
            elif not compiled.search(value):
                self.problem(path, 'pattern', f'{value!r} does not match {shape.name} pattern {meta["pattern"]}')

    def check_range(self, shape: Any, value: float, path: str) -> None:
        meta = shape.metadata
        if 'min' in meta and value < meta['min']:
            self.problem(path, 'range', f'{value} < min {meta["min"]} of {shape.name}')
        if 'max' in meta and value > meta['max']:
            self.problem(path, 'range', f'{value} > max {meta["max"]} of {shape.name}')

    def check_count(self, shape: Any, count: int, path: str) -> None:
        meta = shape.metadata
        if 'min' in meta and count < meta['min']:
            self.problem(path, 'length', f'{count} entries < min {meta["min"]} of {shape.name}')
        if 'max' in meta and count > meta['max']:
            self.problem(path, 'length', f'{count} entries > max {meta["max"]} of {shape.name}')

    def check_timestamp_text(self, shape: Any, value: Any, path: str, default: str) -> None:
        fmt = shape.serialization.get('timestampFormat') or default
        if fmt == 'unixTimestamp':
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                self.problem(path, 'type', f'timestamp {value!r} must be epoch seconds (a JSON number)')
            return
        if not isinstance(value, str):
            self.problem(path, 'type', f'timestamp {value!r} must be a {fmt} string')
            return
        if fmt == 'iso8601':
            # RFC 3339 date-time (Smithy date-time): a date, T, a time, optional fraction, Z or an offset.
            if not re.fullmatch(r'\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})', value):
                self.problem(path, 'type', f'timestamp {value!r} is not RFC 3339 (iso8601)')
        elif fmt == 'rfc822':
            if not re.fullmatch(r'[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT', value):
                self.problem(path, 'type', f'timestamp {value!r} is not an IMF-fixdate (rfc822)')
            elif email.utils.parsedate_to_datetime(value) is None:
                self.problem(path, 'type', f'timestamp {value!r} does not parse')

    # ---- JSON (json 1.0 and rest-json bodies) ---------------------------------------------------------
    def json_value(self, shape: Any, value: Any, path: str) -> None:
        t = shape.type_name
        if value is None:
            self.problem(path, 'type', f'null for {t} {shape.name} (AWS omits absent members)')
            return
        if t == 'structure':
            if not isinstance(value, dict):
                self.problem(path, 'type', f'expected an object for {shape.name}, got {type(value).__name__}')
                return
            self.json_structure(shape, value, path)
        elif t == 'list':
            if not isinstance(value, list):
                self.problem(path, 'type', f'expected an array for {shape.name}, got {type(value).__name__}')
                return
            self.check_count(shape, len(value), path)
            for i, item in enumerate(value):
                self.json_value(shape.member, item, f'{path}[{i}]')
        elif t == 'map':
            if not isinstance(value, dict):
                self.problem(path, 'type', f'expected an object (map) for {shape.name}')
                return
            self.check_count(shape, len(value), path)
            for k, v in value.items():
                self.check_string(shape.key, k, f'{path}{{{k}}}<key>')
                self.json_value(shape.value, v, f'{path}{{{k}}}')
        elif t == 'string':
            if not isinstance(value, str):
                self.problem(path, 'type', f'expected a string for {shape.name}, got {value!r}')
            else:
                self.check_string(shape, value, path)
        elif t in ('integer', 'long'):
            if isinstance(value, bool) or not isinstance(value, int):
                self.problem(path, 'type', f'expected an integer for {shape.name}, got {value!r}')
            else:
                self.check_range(shape, value, path)
        elif t in ('float', 'double'):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                self.problem(path, 'type', f'expected a number for {shape.name}, got {value!r}')
            else:
                self.check_range(shape, value, path)
        elif t == 'boolean':
            if not isinstance(value, bool):
                self.problem(path, 'type', f'expected a boolean for {shape.name}, got {value!r}')
        elif t == 'timestamp':
            self.check_timestamp_text(shape, value, path, 'unixTimestamp')
        elif t == 'blob':
            if not isinstance(value, str):
                self.problem(path, 'type', f'expected a base64 string for blob {shape.name}')
            else:
                try:
                    base64.b64decode(value, validate=True)
                except binascii.Error:
                    self.problem(path, 'type', f'blob {shape.name} is not valid base64')
        elif t == 'document':
            pass
        else:
            self.result.skipped.append(f'{path}: type {t} not checked')

    def json_structure(self, shape: Any, value: dict[str, Any], path: str, body_only: bool = False) -> None:
        wire: dict[str, tuple[str, Any]] = {}
        for name, member in shape.members.items():
            if body_only and member.serialization.get('location'):
                continue
            wire[member.serialization.get('name', name)] = (name, member)
        for key in value:
            if key not in wire:
                self.problem(f'{path}.{key}'.lstrip('.'), 'unknown', f'member {key!r} is not in {shape.name}')
        for key, (name, member) in wire.items():
            p = f'{path}.{key}'.lstrip('.')
            if key in value:
                self.json_value(member, value[key], p)
            elif name in shape.required_members:
                self.problem(p, 'required', f'required member of {shape.name} is missing')
        if shape.is_tagged_union:
            if sum(1 for k in value if k in wire) != 1:
                self.problem(path, 'union', f'union {shape.name} must have exactly one member set')

    # ---- XML (rest-xml bodies) ------------------------------------------------------------------------
    @staticmethod
    def _local(tag: str) -> str:
        return tag.split('}', 1)[1] if tag.startswith('{') else tag

    def xml_value(self, shape: Any, el: ET.Element, path: str) -> None:
        t = shape.type_name
        text = el.text or ''
        if t == 'structure':
            self.xml_structure(shape, el, path)
        elif t == 'list':
            # a wrapped list: <Wrapper><member/>...</Wrapper>
            name = shape.member.serialization.get('name', 'member')
            items = list(el)
            for child in items:
                if self._local(child.tag) != name:
                    self.problem(f'{path}/{self._local(child.tag)}', 'unknown', f'element not in list {shape.name} (expects <{name}>)')
            self.check_count(shape, len(items), path)
            for i, child in enumerate(items):
                self.xml_value(shape.member, child, f'{path}[{i}]')
        elif t == 'map':
            # <Map><entry><key/><value/></entry>...</Map> (query protocol: SNS attributes)
            k_name = shape.key.serialization.get('name', 'key')
            v_name = shape.value.serialization.get('name', 'value')
            for i, entry in enumerate(el):
                if self._local(entry.tag) != 'entry':
                    self.problem(f'{path}/{self._local(entry.tag)}', 'unknown', f'element not in map {shape.name} (expects <entry>)')
                    continue
                parts = {self._local(x.tag): x for x in entry}
                if set(parts) != {k_name, v_name}:
                    self.problem(f'{path}[{i}]', 'type', f'map entry must hold <{k_name}> and <{v_name}>, has {sorted(parts)}')
                    continue
                self.xml_value(shape.key, parts[k_name], f'{path}[{i}].{k_name}')
                self.xml_value(shape.value, parts[v_name], f'{path}[{i}].{v_name}')
        elif t == 'string':
            self.check_string(shape, text, path)
        elif t in ('integer', 'long'):
            if not re.fullmatch(r'-?\d+', text):
                self.problem(path, 'type', f'expected an integer for {shape.name}, got {text!r}')
            else:
                self.check_range(shape, int(text), path)
        elif t in ('float', 'double'):
            try:
                self.check_range(shape, float(text), path)
            except ValueError:
                self.problem(path, 'type', f'expected a number for {shape.name}, got {text!r}')
        elif t == 'boolean':
            if text not in ('true', 'false'):
                self.problem(path, 'type', f'expected true|false for {shape.name}, got {text!r}')
        elif t == 'timestamp':
            self.check_timestamp_text(shape, text, path, 'iso8601')
        elif t == 'blob':
            try:
                base64.b64decode(text, validate=True)
            except binascii.Error:
                self.problem(path, 'type', f'blob {shape.name} is not valid base64')
        else:
            self.result.skipped.append(f'{path}: type {t} not checked')

    def xml_structure(self, shape: Any, el: ET.Element, path: str) -> None:
        by_name: dict[str, tuple[str, Any]] = {}
        for name, member in shape.members.items():
            if member.serialization.get('location'):
                continue
            wire = member.serialization.get('name', name)
            if member.type_name == 'list' and member.serialization.get('flattened'):
                wire = member.serialization.get('name') or member.member.serialization.get('name', name)
            by_name[wire] = (name, member)
        seen: dict[str, list[ET.Element]] = {}
        for child in el:
            tag = self._local(child.tag)
            if tag not in by_name:
                self.problem(f'{path}/{tag}', 'unknown', f'element <{tag}> is not a member of {shape.name}')
                continue
            seen.setdefault(tag, []).append(child)
        for wire, (name, member) in by_name.items():
            p = f'{path}/{wire}'
            found = seen.get(wire, [])
            if not found:
                if name in shape.required_members:
                    self.problem(p, 'required', f'required member of {shape.name} is missing')
                continue
            if member.type_name == 'list' and member.serialization.get('flattened'):
                self.check_count(member, len(found), p)
                for i, child in enumerate(found):
                    self.xml_value(member.member, child, f'{p}[{i}]')
            else:
                if len(found) > 1:
                    self.problem(p, 'type', f'<{wire}> appears {len(found)} times in {shape.name}')
                self.xml_value(member, found[0], p)

    # ---- headers --------------------------------------------------------------------------------------
    def headers(self, shape: Any, headers: dict[str, str]) -> None:
        lower = {k.lower(): v for k, v in headers.items()}
        for name, member in shape.members.items():
            loc = member.serialization.get('location')
            if loc != 'header':
                continue
            header = member.serialization.get('name', name).lower()
            p = f'header {header}'
            if header not in lower:
                if name in shape.required_members:
                    self.problem(p, 'required', f'required header of {shape.name} is missing')
                continue
            value = lower[header]
            t = member.type_name
            if t == 'string':
                if member.serialization.get('jsonvalue'):
                    try:
                        json.loads(base64.b64decode(value))
                    except Exception:  # noqa: BLE001 - any decoding failure is the finding
                        self.problem(p, 'type', 'jsonvalue header is not base64 JSON')
                else:
                    self.check_string(member, value, p)
            elif t in ('integer', 'long'):
                if not re.fullmatch(r'-?\d+', value):
                    self.problem(p, 'type', f'expected an integer, got {value!r}')
                else:
                    self.check_range(member, int(value), p)
            elif t == 'boolean':
                if value not in ('true', 'false'):
                    self.problem(p, 'type', f'expected true|false, got {value!r}')
            elif t == 'timestamp':
                self.check_timestamp_text(member, value, p, 'rfc822')


# Errors every query-protocol service may answer without modelling them (AWS "Common Errors", e.g.
# https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html and the SNS/STS equivalents).
QUERY_COMMON_ERRORS = {
    'ValidationError': 400, 'InvalidParameterValue': 400, 'InvalidParameterCombination': 400,
    'MissingParameter': 400, 'MissingAction': 400, 'InvalidAction': 400, 'InvalidQueryParameter': 400,
    'MalformedQueryString': 404, 'AccessDenied': 403, 'InvalidClientTokenId': 403, 'SignatureDoesNotMatch': 403,
    'RequestExpired': 400, 'ThrottlingException': 400, 'InternalFailure': 500, 'ServiceUnavailable': 503,
}


def _error_code(protocol: str, headers: dict[str, str], body: bytes) -> str | None:
    lower = {k.lower(): v for k, v in headers.items()}
    if protocol == 'query':
        try:
            root = ET.fromstring(body)
        except ET.ParseError:
            return None
        code = root.find('{*}Error/{*}Code')
        return code.text if code is not None else None
    if protocol == 'rest-xml':
        try:
            root = ET.fromstring(body)
        except ET.ParseError:
            return None
        code = root.find('Code')
        return code.text if code is not None else None
    code = lower.get('x-amzn-errortype')
    if not code and body:
        try:
            doc = json.loads(body)
        except ValueError:
            return None
        code = doc.get('__type') or doc.get('code') or doc.get('Code')
    return code.split(':')[0].split('#')[-1] if code else None


def check_response(operation_model: Any, status: int, headers: dict[str, str], body: bytes | None) -> Result:
    """Every problem the raw response has against the operation's modeled output (or errors)."""
    service_model = operation_model.service_model
    protocol = service_model.metadata['protocol']
    service = service_model.service_name
    c = Checker(service, operation_model.name, protocol)
    output = operation_model.output_shape
    if status >= 300 and not (status == 304 and protocol == 'rest-xml'):
        if protocol == 'rest-xml' and operation_model.http.get('method') == 'HEAD':
            # HEAD responses carry no body, errors included: S3 answers HeadBucket/HeadObject misses with
            # a bare 403/404 (https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html).
            if body:
                c.problem('', 'error', f'HEAD error response with a body (HTTP {status})')
            return c.result
        code = _error_code(protocol, headers, body or b'')
        if not code:
            c.problem('', 'error', f'HTTP {status} without an error code')
            return c.result
        # query protocols name an error by its `error.code` (IAM's NoSuchEntityException is `NoSuchEntity`)
        modeled = {e.metadata.get('error', {}).get('code', e.name): e for e in operation_model.error_shapes}
        if protocol == 'query':
            root = ET.fromstring(body or b'')
            error = root.find('{*}Error')
            if c._local(root.tag) != 'ErrorResponse' or error is None or error.find('{*}Message') is None:
                c.problem('', 'error', f'query error body must be <ErrorResponse><Error><Code/><Message/></Error> ({code})')
            expected = (modeled[code].metadata.get('error', {}).get('httpStatusCode')
                        if code in modeled else QUERY_COMMON_ERRORS.get(code))
            if expected is None:
                c.problem('', 'error', f'error {code} is neither one this operation models ({sorted(modeled)}) nor a common error')
            elif expected != status:
                c.problem('', 'status', f'{code} is HTTP {expected} in the model, got {status}')
            return c.result
        modeled_status = modeled[code].metadata.get('error', {}).get('httpStatusCode') if code in modeled else None
        if modeled_status is not None and modeled_status != status:
            c.problem('', 'status', f'{code} is HTTP {modeled_status} in the model, got {status}')
        if protocol == 'rest-xml':
            # S3 models few of its errors (PreconditionFailed, NoSuchUpload... are documented, not modeled);
            # the body must still be <Error><Code/><Message/></Error>.
            root = ET.fromstring(body or b'')
            if root.tag != 'Error' or root.find('Message') is None:
                c.problem('', 'error', f'S3 error body must be <Error> with <Code> and <Message> ({code})')
            if code in S3_ERROR_STATUS and S3_ERROR_STATUS[code] != status:
                c.problem('', 'status', f'{code} is HTTP {S3_ERROR_STATUS[code]} in the S3 error code list, got {status}')
            return c.result
        if code not in modeled:
            c.problem('', 'error', f'error {code} is not one this operation models ({sorted(modeled)})')
            return c.result
        try:
            doc = json.loads(body) if body else {}
        except ValueError:
            c.problem('', 'error', f'error {code} body is not JSON')
            return c.result
        doc = {k: v for k, v in doc.items() if k not in ('__type', 'code', 'Code')}
        # The message is part of the protocol, not of the shape: botocore's JSON parsers read `message` or
        # `Message` for any error, and EventBridge's error shapes model no members at all.
        shape_members = modeled[code].members
        if 'message' not in shape_members and 'Message' not in shape_members:
            doc = {k: v for k, v in doc.items() if k not in ('message', 'Message')}
        # awsJson / restJson error bodies may spell message `Message` (botocore accepts both).
        shape = modeled[code]
        if 'Message' in doc and 'Message' not in shape.members and 'message' in shape.members:
            doc['message'] = doc.pop('Message')
        c.json_structure(shape, doc, f'<{code}>', body_only=True)
        return c.result
    expected_status = operation_model.http.get('responseCode', 200)
    if status != expected_status and not (status == 304 and protocol == 'rest-xml'):
        c.problem('', 'status', f'HTTP {status}, the model says {operation_model.name} answers {expected_status}')
    if output is None:
        return c.result
    if protocol in ('rest-json', 'rest-xml'):
        c.headers(output, headers)
    payload = output.serialization.get('payload')
    if payload:
        member = output.members[payload]
        if member.type_name in ('blob', 'string'):
            return c.result  # raw bytes (an object body, a model's answer): nothing to check structurally
        body_shape = member
    else:
        body_shape = output
    if body is None:
        return c.result
    if protocol in ('json', 'rest-json'):
        if not body.strip():
            doc: Any = {}
        else:
            try:
                doc = json.loads(body)
            except ValueError as error:
                c.problem('', 'type', f'body is not JSON: {error}')
                return c.result
        if not isinstance(doc, dict):
            c.problem('', 'type', 'body is not a JSON object')
            return c.result
        c.json_structure(body_shape, doc, '', body_only=not payload)
    elif protocol == 'query':
        # <ActionResponse><ActionResult>members</ActionResult><ResponseMetadata/></ActionResponse>
        try:
            root = ET.fromstring(body)
        except ET.ParseError as error:
            c.problem('', 'type', f'body is not XML: {error}')
            return c.result
        name = operation_model.name
        if c._local(root.tag) != f'{name}Response':
            c.problem('', 'type', f'root element <{c._local(root.tag)}>, expected <{name}Response>')
        wrapper = output.serialization.get('resultWrapper', f'{name}Result')
        results = [el for el in root if c._local(el.tag) == wrapper]
        for el in root:
            if c._local(el.tag) not in (wrapper, 'ResponseMetadata'):
                c.problem(f'/{c._local(el.tag)}', 'unknown', f'element <{c._local(el.tag)}> in <{name}Response>')
        if not results:
            if output.required_members:
                c.problem('', 'required', f'no <{wrapper}>, but {output.name} requires {output.required_members}')
            return c.result
        c.xml_structure(output, results[0], wrapper)
    elif protocol == 'rest-xml':
        if not body.strip():
            has_body = any(not m.serialization.get('location') for m in body_shape.members.values())
            required = [n for n in body_shape.required_members if not body_shape.members[n].serialization.get('location')]
            if has_body and required:
                c.problem('', 'required', f'empty body, but {body_shape.name} requires {required}')
            return c.result
        try:
            root = ET.fromstring(body)
        except ET.ParseError as error:
            c.problem('', 'type', f'body is not XML: {error}')
            return c.result
        c.xml_structure(body_shape, root, c._local(root.tag))
    return c.result


def timestamp_now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat()


def operation_for(service_model: Any, method: str, url: str, target: str | None, header_names: list[str]) -> Any:
    """The operation a raw request addresses, from the model's own routing (requestUri / X-Amz-Target)."""
    from urllib.parse import parse_qsl, urlsplit

    if service_model.metadata['protocol'] == 'json':
        name = (target or '').split('.')[-1]
        return service_model.operation_model(name) if name in service_model.operation_names else None
    parts = urlsplit(url)
    path = parts.path
    query = {k for k, _ in parse_qsl(parts.query, keep_blank_values=True)}
    headers = {h.lower() for h in header_names}
    best, best_score = None, (-1, -1)
    for name in service_model.operation_names:
        op = service_model.operation_model(name)
        if op.http.get('method') != method:
            continue
        template, _, template_query = op.http['requestUri'].partition('?')
        regex = ''
        for piece in re.split(r'(\{[^}]+\})', template):
            if piece.startswith('{'):
                regex += '.+' if piece.endswith('+}') else '[^/]+'
            else:
                regex += re.escape(piece)
        if not re.fullmatch(regex.rstrip('/') + '/?' if regex != '/' else '/', path):
            continue
        shape = op.input_shape
        needed = {q.split('=')[0] for q in template_query.split('&') if q} | {
            m.serialization.get('name', n)
            for n, m in (shape.members.items() if shape else [])
            if m.serialization.get('location') == 'querystring' and shape is not None and n in shape.required_members
        }
        if not needed <= query:
            continue
        required_headers = {
            m.serialization.get('name', n).lower()
            for n, m in (shape.members.items() if shape else [])
            if m.serialization.get('location') == 'header' and shape is not None and n in shape.required_members
        }
        if not required_headers <= headers:
            continue
        score = (len(needed) + len(required_headers), len(re.sub(r'\{[^}]+\}', '', template)))
        if score > best_score:
            best, best_score = op, score
    return best
