"""
Drives every AWS operation tunekit uses (S3, Bedrock, Bedrock Runtime, Step Functions) against the local
stack with boto3, captures each raw HTTP response and checks it against botocore's service models (see
conformance.py). Prints one line per operation and "N passed, N failed"; exits 1 on any failure.

  python3 check_conformance.py '<json printed by stack-server.ts>'     # drive the stack
  python3 check_conformance.py --self-test                             # the checker catches wrong responses
"""

from __future__ import annotations

import base64
import json
import os
import re
import sys
import time
import uuid
from collections import defaultdict
from typing import Any, Callable

import boto3
import botocore.session
from botocore.config import Config
from botocore.exceptions import ClientError

sys.dont_write_bytecode = True  # no __pycache__ in the repo from a test run
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from conformance import check_response, operation_for  # noqa: E402

# What the product calls (grep of `new *Command(` in src/, outside src/local), per botocore service name.
# S3's PutBucketTagging/PutPublicAccessBlock (AWS-only setup) and Scheduler are not served by the local
# stack. STS, IAM, SNS and EventBridge: what tunekit (doctor, setup, cleanup, the SNS notifier) and the
# tutorial's scripts call.
USED: dict[str, list[str]] = {
    's3': [
        'CreateBucket', 'HeadBucket', 'DeleteBucket', 'PutObject', 'GetObject', 'HeadObject', 'DeleteObject',
        'DeleteObjects', 'ListObjectsV2', 'CreateMultipartUpload', 'UploadPart', 'CompleteMultipartUpload',
    ],
    'bedrock': [
        'ListFoundationModels', 'GetFoundationModel', 'CreateModelCustomizationJob', 'GetModelCustomizationJob',
        'ListModelCustomizationJobs', 'StopModelCustomizationJob', 'GetCustomModel', 'ListCustomModels',
        'DeleteCustomModel', 'CreateCustomModelDeployment', 'GetCustomModelDeployment',
        'ListCustomModelDeployments', 'UpdateCustomModelDeployment', 'DeleteCustomModelDeployment',
        'CreateProvisionedModelThroughput', 'GetProvisionedModelThroughput', 'ListProvisionedModelThroughputs',
        'UpdateProvisionedModelThroughput', 'DeleteProvisionedModelThroughput', 'ListTagsForResource',
        'TagResource',
    ],
    'bedrock-runtime': ['Converse', 'InvokeModel'],
    'stepfunctions': [
        'ListStateMachines', 'StartExecution', 'DescribeExecution', 'ListExecutions', 'GetExecutionHistory',
        'StopExecution',
    ],
    'sts': ['GetCallerIdentity'],
    'iam': [
        'CreateRole', 'GetRole', 'DeleteRole', 'UpdateAssumeRolePolicy', 'TagRole', 'PutRolePolicy',
        'GetRolePolicy', 'ListRolePolicies', 'DeleteRolePolicy', 'ListAttachedRolePolicies',
    ],
    'sns': [
        'CreateTopic', 'ListTopics', 'ListTagsForResource', 'Subscribe', 'ListSubscriptionsByTopic', 'Publish',
        'GetTopicAttributes', 'DeleteTopic',
    ],
    'events': [
        'PutRule', 'DescribeRule', 'ListRules', 'ListTagsForResource', 'PutTargets', 'ListTargetsByRule',
        'RemoveTargets', 'DeleteRule',
    ],
}

ROLE = 'arn:aws:iam::000000000000:role/tunekit-conformance'
BASE_MODEL = 'amazon.nova-micro-v1:0:128k'
RUNTIME_MODEL = 'amazon.nova-micro-v1:0'


class Capture:
    """Every raw response boto3 receives, as the wire had it (before botocore's lenient parser)."""

    def __init__(self) -> None:
        self.responses: list[tuple[Any, int, dict[str, str], bytes | None]] = []

    def __call__(self, operation_model: Any, response_dict: dict[str, Any], **_: Any) -> None:
        body = response_dict.get('body')
        self.responses.append(
            (
                operation_model,
                response_dict['status_code'],
                dict(response_dict['headers']),
                body if isinstance(body, (bytes, bytearray)) else None,
            )
        )


def clients(info: dict[str, Any], capture: Capture) -> dict[str, Any]:
    env = info['env']
    session = boto3.session.Session(
        aws_access_key_id=env['AWS_ACCESS_KEY_ID'],
        aws_secret_access_key=env['AWS_SECRET_ACCESS_KEY'],
        region_name=env['AWS_REGION'],
    )
    # No retries: a retried call would hide the first (checked) response behind a second one.
    cfg = Config(retries={'max_attempts': 1, 'mode': 'standard'}, s3={'addressing_style': 'path'})
    made = {}
    for name in USED:
        client = session.client(name, endpoint_url=info['endpoint'], config=cfg)
        client.meta.events.register('before-parse', capture)
        made[name] = client
    return made


def expect_error(code: str, fn: Callable[..., Any], **kwargs: Any) -> None:
    try:
        fn(**kwargs)
    except ClientError as error:
        got = error.response['Error']['Code']
        if got != code:
            raise AssertionError(f'expected {code}, got {got}: {error}') from error
        return
    raise AssertionError(f'expected {code}, the call succeeded')


def attempt(fn: Callable[..., Any], **kwargs: Any) -> None:
    """A call whose outcome (success or error) is not the point: only its response's conformance is."""
    try:
        fn(**kwargs)
    except ClientError:
        pass


def wait_for(what: str, fn: Callable[[], Any], done: Callable[[Any], bool], timeout: float = 240) -> Any:
    deadline = time.time() + timeout
    while True:
        value = fn()
        if done(value):
            return value
        if time.time() > deadline:
            raise TimeoutError(f'{what} not reached in {timeout}s (last: {value})')
        time.sleep(0.5)


def drive(info: dict[str, Any], c: dict[str, Any]) -> None:
    s3, bedrock, runtime, sfn = c['s3'], c['bedrock'], c['bedrock-runtime'], c['stepfunctions']
    bucket = f'conformance-{uuid.uuid4().hex[:8]}'
    here = os.path.dirname(os.path.abspath(__file__))
    samples = os.path.join(here, '..', '..', '..', 'samples')
    tutorial = open(os.path.join(samples, 'tutorial', 'train.jsonl'), 'rb').read()
    banking = open(os.path.join(samples, 'banking', 'train.jsonl'), 'rb').read()

    # ---- S3 -------------------------------------------------------------------------------------------
    s3.create_bucket(Bucket=bucket)
    s3.head_bucket(Bucket=bucket)
    expect_error('404', s3.head_bucket, Bucket=f'{bucket}-missing')
    s3.put_object(Bucket=bucket, Key='data/train.jsonl', Body=tutorial)
    s3.put_object(Bucket=bucket, Key='registry/index.json', Body=b'{}', IfNoneMatch='*', ContentType='application/json')
    expect_error('PreconditionFailed', s3.put_object, Bucket=bucket, Key='registry/index.json', Body=b'{}', IfNoneMatch='*')
    etag = s3.head_object(Bucket=bucket, Key='registry/index.json')['ETag']
    s3.put_object(Bucket=bucket, Key='registry/index.json', Body=b'{"v":2}', IfMatch=etag)
    expect_error('PreconditionFailed', s3.put_object, Bucket=bucket, Key='registry/index.json', Body=b'{}', IfMatch=etag)
    s3.get_object(Bucket=bucket, Key='registry/index.json')['Body'].read()
    expect_error('NoSuchKey', s3.get_object, Bucket=bucket, Key='missing.json')
    for i in range(3):
        s3.put_object(Bucket=bucket, Key=f'runs/{i}.json', Body=b'{}')
    first = s3.list_objects_v2(Bucket=bucket, Prefix='runs/', MaxKeys=2)
    s3.list_objects_v2(Bucket=bucket, Prefix='runs/', MaxKeys=2, ContinuationToken=first['NextContinuationToken'])
    expect_error('404', s3.head_object, Bucket=bucket, Key='runs/missing.json')
    s3.list_objects_v2(Bucket=bucket, Delimiter='/')
    s3.list_objects_v2(Bucket=bucket, Prefix='nothing/')
    # multipart, as the AWS CLI / SDK upload managers do for large files
    up = s3.create_multipart_upload(Bucket=bucket, Key='big.bin')
    part = b'x' * (5 * 1024 * 1024)
    e1 = s3.upload_part(Bucket=bucket, Key='big.bin', UploadId=up['UploadId'], PartNumber=1, Body=part)['ETag']
    e2 = s3.upload_part(Bucket=bucket, Key='big.bin', UploadId=up['UploadId'], PartNumber=2, Body=b'tail')['ETag']
    s3.complete_multipart_upload(
        Bucket=bucket, Key='big.bin', UploadId=up['UploadId'],
        MultipartUpload={'Parts': [{'PartNumber': 1, 'ETag': e1}, {'PartNumber': 2, 'ETag': e2}]},
    )
    s3.head_object(Bucket=bucket, Key='big.bin')
    s3.delete_object(Bucket=bucket, Key='big.bin')

    # ---- Bedrock control plane ------------------------------------------------------------------------
    bedrock.list_foundation_models()
    bedrock.list_foundation_models(byCustomizationType='FINE_TUNING')
    bedrock.get_foundation_model(modelIdentifier=BASE_MODEL)
    expect_error('ResourceNotFoundException', bedrock.get_foundation_model, modelIdentifier='amazon.nope-v1:0')
    tags = [{'key': 'tunekit:project', 'value': 'conformance'}]
    job = bedrock.create_model_customization_job(
        jobName='conformance-job', customModelName='conformance-model', roleArn=ROLE,
        baseModelIdentifier=BASE_MODEL, customizationType='FINE_TUNING',
        trainingDataConfig={'s3Uri': f's3://{bucket}/data/train.jsonl'},
        outputDataConfig={'s3Uri': f's3://{bucket}/out/'},
        hyperParameters={'epochCount': '1'}, jobTags=tags, customModelTags=tags,
    )
    job_arn = job['jobArn']
    bedrock.get_model_customization_job(jobIdentifier=job_arn)
    expect_error(
        'ValidationException', bedrock.create_model_customization_job,
        jobName='bad name!', customModelName='m', roleArn=ROLE, baseModelIdentifier=BASE_MODEL,
        trainingDataConfig={'s3Uri': f's3://{bucket}/data/train.jsonl'}, outputDataConfig={'s3Uri': f's3://{bucket}/out/'},
        hyperParameters={},
    )
    # a second job with validation data (validation metrics in the answer), queued behind the first
    s3.put_object(Bucket=bucket, Key='data/banking.jsonl', Body=banking)
    validated = bedrock.create_model_customization_job(
        jobName='conformance-validated', customModelName='conformance-validated-model', roleArn=ROLE,
        baseModelIdentifier=BASE_MODEL,
        trainingDataConfig={'s3Uri': f's3://{bucket}/data/banking.jsonl'},
        validationDataConfig={'validators': [{'s3Uri': f's3://{bucket}/data/train.jsonl'}]},
        outputDataConfig={'s3Uri': f's3://{bucket}/out/'}, hyperParameters={'epochCount': '1'},
    )['jobArn']
    # whatever the stack answers to a duplicate name or a third concurrent job, it must be a modeled error
    attempt(bedrock.create_model_customization_job, jobName='conformance-job', customModelName='conformance-model-2',
            roleArn=ROLE, baseModelIdentifier=BASE_MODEL, trainingDataConfig={'s3Uri': f's3://{bucket}/data/train.jsonl'},
            outputDataConfig={'s3Uri': f's3://{bucket}/out/'}, hyperParameters={'epochCount': '1'})
    attempt(bedrock.get_model_customization_job, jobIdentifier='no-such-job')
    ended = lambda j: j['status'] in ('Completed', 'Failed', 'Stopped')  # noqa: E731
    done = wait_for('job completed', lambda: bedrock.get_model_customization_job(jobIdentifier=job_arn), ended)
    if done['status'] != 'Completed':
        raise AssertionError(f'the training job ended {done["status"]}: {done.get("failureMessage")}')
    wait_for('validated job ended', lambda: bedrock.get_model_customization_job(jobIdentifier=validated), ended)
    bedrock.get_custom_model(modelIdentifier='conformance-validated-model')
    # a job whose data is not valid JSONL fails (failureMessage), one more is stopped while it runs
    s3.put_object(Bucket=bucket, Key='data/broken.jsonl', Body=b'{"not": "a conversation"}\nnot json\n')
    broken = bedrock.create_model_customization_job(
        jobName='conformance-broken', customModelName='conformance-broken-model', roleArn=ROLE,
        baseModelIdentifier=BASE_MODEL, trainingDataConfig={'s3Uri': f's3://{bucket}/data/broken.jsonl'},
        outputDataConfig={'s3Uri': f's3://{bucket}/out/'}, hyperParameters={'epochCount': '1'},
    )['jobArn']
    wait_for('broken job ended', lambda: bedrock.get_model_customization_job(jobIdentifier=broken), ended)
    second = bedrock.create_model_customization_job(
        jobName='conformance-stopped', customModelName='conformance-stopped-model', roleArn=ROLE,
        baseModelIdentifier=BASE_MODEL, trainingDataConfig={'s3Uri': f's3://{bucket}/data/banking.jsonl'},
        outputDataConfig={'s3Uri': f's3://{bucket}/out/'}, hyperParameters={'epochCount': '5'},
    )['jobArn']
    bedrock.stop_model_customization_job(jobIdentifier=second)
    wait_for('job stopped', lambda: bedrock.get_model_customization_job(jobIdentifier=second), ended)
    attempt(bedrock.stop_model_customization_job, jobIdentifier=second)
    bedrock.list_model_customization_jobs()
    bedrock.list_model_customization_jobs(statusEquals='Completed', maxResults=1)
    # distillation and reinforcement fine-tuning: the union customizationConfig in requests and answers
    # (the stack runs the grader function:grader from <dataDir>/graders/grader.mjs, see stack-server.ts)
    # all 100 records: Nova 2 Lite RFT takes 100-20,000, and the local stack refuses fewer, as AWS does
    rft_data = open(os.path.join(samples, 'reinforcement', 'train.jsonl'), 'rb').read()
    s3.put_object(Bucket=bucket, Key='data/rft.jsonl', Body=rft_data)
    distilled = bedrock.create_model_customization_job(
        jobName='conformance-distill', customModelName='conformance-distill-model', roleArn=ROLE,
        baseModelIdentifier=BASE_MODEL, customizationType='DISTILLATION',
        customizationConfig={'distillationConfig': {'teacherModelConfig': {
            'teacherModelIdentifier': 'amazon.nova-pro-v1:0', 'maxResponseLengthForInference': 500}}},
        trainingDataConfig={'s3Uri': f's3://{bucket}/data/train.jsonl'}, outputDataConfig={'s3Uri': f's3://{bucket}/out/'},
    )['jobArn']
    reinforced = bedrock.create_model_customization_job(
        jobName='conformance-rft', customModelName='conformance-rft-model', roleArn=ROLE,
        baseModelIdentifier='amazon.nova-2-lite-v1:0:256k', customizationType='REINFORCEMENT_FINE_TUNING',
        customizationConfig={'rftConfig': {
            'graderConfig': {'lambdaGrader': {'lambdaArn': 'arn:aws:lambda:us-east-1:000000000000:function:grader'}},
            'hyperParameters': {'epochCount': 1, 'batchSize': 16, 'learningRate': 0.0001, 'trainingSamplePerPrompt': 4,
                                'reasoningEffort': 'medium'}}},
        trainingDataConfig={'s3Uri': f's3://{bucket}/data/rft.jsonl'}, outputDataConfig={'s3Uri': f's3://{bucket}/out/'},
    )['jobArn']
    expect_error(
        'ValidationException', bedrock.create_model_customization_job,
        jobName='conformance-bad-teacher', customModelName='m3', roleArn=ROLE, baseModelIdentifier=BASE_MODEL,
        customizationType='DISTILLATION',
        customizationConfig={'distillationConfig': {'teacherModelConfig': {'teacherModelIdentifier': 'amazon.nova-micro-v1:0'}}},
        trainingDataConfig={'s3Uri': f's3://{bucket}/data/train.jsonl'}, outputDataConfig={'s3Uri': f's3://{bucket}/out/'},
    )
    for arn, what in ((distilled, 'distillation'), (reinforced, 'reinforcement')):
        ended_job = wait_for(f'{what} job ended', lambda a=arn: bedrock.get_model_customization_job(jobIdentifier=a), ended)
        if ended_job['status'] != 'Completed':
            raise AssertionError(f'the {what} job ended {ended_job["status"]}: {ended_job.get("failureMessage")}')
        bedrock.get_custom_model(modelIdentifier=ended_job['outputModelArn'])
    model_arn = done['outputModelArn']
    bedrock.get_custom_model(modelIdentifier=model_arn)
    bedrock.get_custom_model(modelIdentifier='conformance-model')
    expect_error('ResourceNotFoundException', bedrock.get_custom_model, modelIdentifier='no-such-model')
    bedrock.list_custom_models()
    bedrock.list_custom_models(baseModelArnEquals=bedrock.get_foundation_model(modelIdentifier=BASE_MODEL)['modelDetails']['modelArn'])
    bedrock.tag_resource(resourceARN=model_arn, tags=[{'key': 'tunekit:run', 'value': 'r1'}])
    bedrock.list_tags_for_resource(resourceARN=model_arn)
    bedrock.list_tags_for_resource(resourceARN=job_arn)

    dep = bedrock.create_custom_model_deployment(modelDeploymentName='conformance-dep', modelArn=model_arn, tags=tags)['customModelDeploymentArn']
    bedrock.get_custom_model_deployment(customModelDeploymentIdentifier=dep)
    attempt(bedrock.create_custom_model_deployment, modelDeploymentName='conformance-dep', modelArn=model_arn)
    wait_for('deployment active', lambda: bedrock.get_custom_model_deployment(customModelDeploymentIdentifier=dep), lambda d: d['status'] != 'Creating', 60)
    bedrock.list_custom_model_deployments()
    bedrock.list_custom_model_deployments(statusEquals='Active', maxResults=1)
    runtime.converse(modelId=dep, messages=[{'role': 'user', 'content': [{'text': 'How do I reset my PIN?'}]}], inferenceConfig={'maxTokens': 64})
    bedrock.update_custom_model_deployment(customModelDeploymentIdentifier=dep, modelArn=model_arn)
    attempt(bedrock.update_custom_model_deployment, customModelDeploymentIdentifier=dep, modelArn=model_arn)
    wait_for('deployment updated', lambda: bedrock.get_custom_model_deployment(customModelDeploymentIdentifier=dep), lambda d: d['status'] != 'Creating' and d.get('updateDetails', {}).get('updateStatus') != 'Updating', 60)

    pt = bedrock.create_provisioned_model_throughput(modelUnits=1, provisionedModelName='conformance-pt', modelId=model_arn, tags=tags)['provisionedModelArn']
    bedrock.get_provisioned_model_throughput(provisionedModelId=pt)
    wait_for('PT in service', lambda: bedrock.get_provisioned_model_throughput(provisionedModelId=pt), lambda p: p['status'] != 'Creating', 60)
    bedrock.list_provisioned_model_throughputs()
    runtime.converse(modelId=pt, messages=[{'role': 'user', 'content': [{'text': 'Card lost'}]}])
    bedrock.update_provisioned_model_throughput(provisionedModelId=pt, desiredModelId=model_arn)
    wait_for('PT updated', lambda: bedrock.get_provisioned_model_throughput(provisionedModelId=pt), lambda p: p['status'] == 'InService', 60)

    # ---- Bedrock runtime on the base model ----------------------------------------------------------------
    runtime.converse(
        modelId=RUNTIME_MODEL, system=[{'text': 'You are a banking assistant.'}],
        messages=[{'role': 'user', 'content': [{'text': 'What is my balance?'}]}],
        inferenceConfig={'maxTokens': 32, 'temperature': 0},
    )
    body = json.dumps({'messages': [{'role': 'user', 'content': [{'text': 'hello'}]}], 'inferenceConfig': {'maxTokens': 16}})
    runtime.invoke_model(modelId=RUNTIME_MODEL, body=body, contentType='application/json', accept='application/json')
    expect_error('ValidationException', runtime.converse, modelId=RUNTIME_MODEL, messages=[])

    attempt(runtime.converse, modelId='amazon.no-such-model-v1:0', messages=[{'role': 'user', 'content': [{'text': 'hi'}]}])
    attempt(runtime.invoke_model, modelId=RUNTIME_MODEL, body=b'not json', contentType='application/json')
    attempt(bedrock.get_custom_model_deployment, customModelDeploymentIdentifier='no-such-deployment')
    attempt(bedrock.get_provisioned_model_throughput, provisionedModelId='no-such-pt')
    attempt(bedrock.create_provisioned_model_throughput, modelUnits=1, provisionedModelName='conformance-pt', modelId=model_arn)
    bedrock.delete_provisioned_model_throughput(provisionedModelId=pt)
    bedrock.delete_custom_model_deployment(customModelDeploymentIdentifier=dep)
    wait_for('deployment deleted', lambda: bedrock.list_custom_model_deployments(modelArnEquals=model_arn)['modelDeploymentSummaries'], lambda d: not d, 60)
    bedrock.delete_custom_model(modelIdentifier=model_arn)
    expect_error('ResourceNotFoundException', bedrock.delete_custom_model, modelIdentifier='no-such-model')

    # ---- Step Functions: the deployed pipeline, a real run from an upload, a stopped run, a failed run ----
    sfn.list_state_machines()
    machine = info['stateMachineArn']
    s3.put_object(Bucket=info['bucket'], Key=f'{info["prefix"]}train.jsonl', Body=tutorial)
    run = wait_for('pipeline run started', lambda: sfn.list_executions(stateMachineArn=machine), lambda r: len(r['executions']) > 0, 30)['executions'][0]['executionArn']
    sfn.describe_execution(executionArn=run)
    sfn.get_execution_history(executionArn=run, maxResults=5)
    failed = sfn.start_execution(stateMachineArn=machine, name=f'conformance-bad-{uuid.uuid4().hex[:6]}', input='{"bucket": 1}')['executionArn']
    expect_error('ExecutionAlreadyExists', sfn.start_execution, stateMachineArn=machine, name=failed.split(':')[-1], input='{"bucket": 2}')
    expect_error('InvalidArn', sfn.describe_execution, executionArn='not-an-arn')
    attempt(sfn.describe_execution, executionArn=f'{machine.replace(":stateMachine:", ":execution:")}:no-such-run')
    attempt(sfn.list_executions, stateMachineArn=f'{machine}-missing')
    attempt(sfn.start_execution, stateMachineArn=f'{machine}-missing', input='{}')
    wait_for('bad run ended', lambda: sfn.describe_execution(executionArn=failed), lambda d: d['status'] != 'RUNNING', 60)
    sfn.get_execution_history(executionArn=failed)
    # a second upload starts a second run; stop it while it runs (ExecutionAborted in its history)
    s3.put_object(Bucket=info['bucket'], Key=f'{info["prefix"]}more.jsonl', Body=banking)
    stopped = wait_for(
        'second run started', lambda: sfn.list_executions(stateMachineArn=machine, statusFilter='RUNNING'),
        lambda r: any(e['executionArn'] != run for e in r['executions']), 30,
    )
    stopped = next(e['executionArn'] for e in stopped['executions'] if e['executionArn'] != run)
    sfn.stop_execution(executionArn=stopped, error='Conformance', cause='stopped by the conformance check')
    sfn.describe_execution(executionArn=stopped)
    sfn.get_execution_history(executionArn=stopped)
    attempt(sfn.stop_execution, executionArn=stopped)
    attempt(sfn.get_execution_history, executionArn=f'{machine.replace(":stateMachine:", ":execution:")}:no-such-run')
    final = wait_for('pipeline run ended', lambda: sfn.describe_execution(executionArn=run), lambda d: d['status'] != 'RUNNING', 300)
    history = sfn.get_execution_history(executionArn=run, maxResults=1000)
    while history.get('nextToken'):
        history = sfn.get_execution_history(executionArn=run, maxResults=1000, nextToken=history['nextToken'])
    sfn.get_execution_history(executionArn=run, reverseOrder=True, includeExecutionData=False, maxResults=10)
    sfn.list_executions(stateMachineArn=machine, statusFilter=final['status'])
    sfn.list_executions(stateMachineArn=machine, maxResults=1)
    for arn in (run, failed, stopped):
        print(f'info: execution {arn.split(":")[-1]} ended {sfn.describe_execution(executionArn=arn)["status"]}')

    # ---- STS, IAM, SNS, EventBridge: the tutorial's verify/Lab 2/Lab 3/cleanup calls, and tunekit's own -----
    sts, iam, sns, events = c['sts'], c['iam'], c['sns'], c['events']
    sts.get_caller_identity()
    trust = json.dumps({'Version': '2012-10-17', 'Statement': [
        {'Effect': 'Allow', 'Principal': {'Service': 'bedrock.amazonaws.com'}, 'Action': 'sts:AssumeRole'}]})
    iam.create_role(RoleName='conformance-role', AssumeRolePolicyDocument=trust,
                    Tags=[{'Key': 'tunekit:project', 'Value': 'conformance'}])
    expect_error('EntityAlreadyExists', iam.create_role, RoleName='conformance-role', AssumeRolePolicyDocument=trust)
    expect_error('MalformedPolicyDocument', iam.create_role, RoleName='conformance-bad', AssumeRolePolicyDocument='{')
    iam.get_role(RoleName='conformance-role')
    iam.update_assume_role_policy(RoleName='conformance-role', PolicyDocument=trust)
    iam.tag_role(RoleName='conformance-role', Tags=[{'Key': 'team', 'Value': 'ml'}])
    iam.put_role_policy(RoleName='conformance-role', PolicyName='S3Access', PolicyDocument=json.dumps(
        {'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': 's3:GetObject', 'Resource': '*'}]}))
    iam.get_role_policy(RoleName='conformance-role', PolicyName='S3Access')
    iam.list_role_policies(RoleName='conformance-role')
    iam.list_attached_role_policies(RoleName='conformance-role')
    expect_error('DeleteConflict', iam.delete_role, RoleName='conformance-role')
    iam.delete_role_policy(RoleName='conformance-role', PolicyName='S3Access')
    expect_error('NoSuchEntity', iam.delete_role_policy, RoleName='conformance-role', PolicyName='S3Access')
    iam.delete_role(RoleName='conformance-role')
    expect_error('NoSuchEntity', iam.get_role, RoleName='conformance-role')
    attempt(iam.get_role, RoleName='not a valid name!')

    topic = sns.create_topic(Name='conformance-notifications', Tags=[{'Key': 'tunekit:project', 'Value': 'conformance'}])['TopicArn']
    sns.list_topics()
    sns.list_tags_for_resource(ResourceArn=topic)
    sns.subscribe(TopicArn=topic, Protocol='email', Endpoint='ops@example.com')
    sns.list_subscriptions_by_topic(TopicArn=topic)
    sns.get_topic_attributes(TopicArn=topic)
    sns.publish(TopicArn=topic, Subject='conformance', Message='hello')
    expect_error('InvalidParameter', sns.create_topic, Name='bad name')
    sns.delete_topic(TopicArn=topic)
    expect_error('NotFound', sns.publish, TopicArn=topic, Message='x')

    pattern = json.dumps({'source': ['aws.s3'], 'detail-type': ['Object Created']})
    rule = events.put_rule(Name='conformance-rule', EventPattern=pattern, State='ENABLED',
                           Tags=[{'Key': 'tunekit:project', 'Value': 'conformance'}])['RuleArn']
    events.describe_rule(Name='conformance-rule')
    events.list_rules(NamePrefix='conformance')
    events.list_tags_for_resource(ResourceARN=rule)
    events.put_targets(Rule='conformance-rule', Targets=[{'Id': '1', 'Arn': info['stateMachineArn']}])
    events.list_targets_by_rule(Rule='conformance-rule')
    expect_error('ValidationException', events.delete_rule, Name='conformance-rule')
    events.remove_targets(Rule='conformance-rule', Ids=['1'])
    events.delete_rule(Name='conformance-rule')
    expect_error('ResourceNotFoundException', events.describe_rule, Name='conformance-rule')
    expect_error('InvalidEventPatternException', events.put_rule, Name='conformance-bad', EventPattern='{nope')

    # ---- S3 clean-up as `tunekit cleanup` does it ----------------------------------------------------------
    keys = [{'Key': o['Key']} for o in s3.list_objects_v2(Bucket=bucket).get('Contents', [])]
    s3.delete_objects(Bucket=bucket, Delete={'Objects': keys + [{'Key': 'never-existed'}]})
    expect_error('BucketNotEmpty', s3.delete_bucket, Bucket=info['bucket']) if s3.list_objects_v2(Bucket=info['bucket'], MaxKeys=1).get('KeyCount') else None
    s3.delete_bucket(Bucket=bucket)


def dump(capture: Capture, path: str) -> None:
    """Every captured response as JSON lines (CONFORMANCE_DUMP=<file>), to read what the stack sent."""
    with open(path, 'w') as out:
        for op, status, headers, body in capture.responses:
            text = body.decode('utf-8', 'replace') if body is not None else None
            out.write(json.dumps({'service': op.service_model.service_name, 'operation': op.name,
                                  'status': status, 'headers': headers, 'body': text}) + '\n')


Checked = dict[tuple[str, str], list[tuple[int, list[str], list[str], list[str]]]]


def print_ops(keys: list[tuple[str, str]], by_op: Checked, required: bool) -> tuple[int, int]:
    passed = failed = 0
    for service, name in keys:
        seen = by_op.get((service, name))
        if not seen:
            if required:
                print(f'FAIL {service} {name}: not exercised (no response captured)')
                failed += 1
            continue
        problems = [f'HTTP {s}: {p}' for s, ps, _, _ in seen for p in ps]
        # one line per allowed rule (indices and values differ per response, the rule does not)
        allowed = sorted({re.sub(r'\[\d+\]', '[]', a.split(': ', 1)[0]) + ': ' + a.split('(allowed: ', 1)[-1].rstrip(')')
                          for _, _, al, _ in seen for a in al})
        skipped = sorted({k for _, _, _, sk in seen for k in sk})
        statuses = ','.join(sorted({str(s) for s, _, _, _ in seen}))
        if problems:
            failed += 1
            print(f'FAIL {service} {name} ({len(seen)} responses, HTTP {statuses})')
            for p in sorted(set(problems))[:20]:
                print(f'     - {p}')
        else:
            passed += 1
            print(f'ok   {service} {name} ({len(seen)} responses, HTTP {statuses})')
        for a in allowed:
            print(f'     allowed: {a}')
        for k in skipped:
            print(f'     skipped: {k}')
    return passed, failed


def recorded_traffic(path: str | None) -> tuple[Checked, list[str]]:
    """The stack-recorded responses to tunekit's own SDK calls (the pipeline inside the stack process)."""
    by_op: Checked = defaultdict(list)
    unmatched: list[str] = []
    if not path or not os.path.exists(path):
        return by_op, unmatched
    session = botocore.session.get_session()
    models = {name: session.get_service_model(name) for name in USED}
    with open(path) as lines:
        for line in lines:
            r = json.loads(line)
            if 'Boto3/' in (r.get('userAgent') or '') or 'Botocore/' in (r.get('userAgent') or ''):
                continue  # the driver's own calls, already checked from the client side
            op = operation_for(models[r['service']], r['method'], r['url'], r.get('target'), r['requestHeaders'])
            if op is None:
                unmatched.append(f'{r["service"]} {r["method"]} {r["url"]} (HTTP {r["status"]})')
                continue
            body = base64.b64decode(r['body']) if r['body'] is not None else None
            if op.output_shape is not None and op.output_shape.serialization.get('payload') and r['status'] < 300:
                body = None  # object bodies and model answers: raw payloads, nothing structural to check
            result = check_response(op, r['status'], r['headers'], body)
            by_op[(r['service'], op.name)].append((r['status'], result.problems, result.allowed, result.skipped))
    return by_op, unmatched


def report(capture: Capture, traffic: str | None = None) -> int:
    if os.environ.get('CONFORMANCE_DUMP'):
        dump(capture, os.environ['CONFORMANCE_DUMP'])
    by_op: Checked = defaultdict(list)
    for op, status, headers, body in capture.responses:
        result = check_response(op, status, headers, body)
        by_op[(op.service_model.service_name, op.name)].append((status, result.problems, result.allowed, result.skipped))
    print('== responses to the boto3 drive (every operation tunekit uses)')
    passed, failed = print_ops([(s, n) for s, ops in USED.items() for n in ops], by_op, required=True)
    extra = sorted({f'{s} {n}' for (s, n) in by_op if n not in USED.get(s, [])})
    if extra:
        print(f'also seen (not in the product inventory, not counted): {", ".join(extra)}')
    if traffic:
        recorded, unmatched = recorded_traffic(traffic)
        total = sum(len(v) for v in recorded.values())
        print(f'== responses to tunekit\'s own SDK calls during the pipeline runs ({total} recorded)')
        p2, f2 = print_ops(sorted(recorded), recorded, required=False)
        passed, failed = passed + p2, failed + f2
        for u in unmatched:
            print(f'FAIL no operation in the model matches {u}')
            failed += 1
    print(f'{passed} passed, {failed} failed')
    return 1 if failed else 0


def self_test() -> int:
    """Wrong responses the checker must flag: a check that cannot fail proves nothing."""
    session = botocore.session.get_session()
    op = lambda svc, name: session.get_service_model(svc).operation_model(name)  # noqa: E731
    good_model = {
        'modelArn': 'arn:aws:bedrock:us-east-1:000000000000:custom-model/amazon.nova-micro-v1:0:128k/abcdefghijkl',
        'modelName': 'm', 'jobArn': 'arn:aws:bedrock:us-east-1:000000000000:model-customization-job/amazon.nova-micro-v1:0:128k/abcdefghijkl',
        'baseModelArn': 'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-micro-v1:0:128k',
        'creationTime': '2026-01-01T00:00:00Z',
    }
    cases: list[tuple[str, Any, int, dict[str, str], bytes, str]] = [
        ('a valid GetCustomModel', op('bedrock', 'GetCustomModel'), 200, {}, json.dumps(good_model).encode(), ''),
        ('missing required modelArn', op('bedrock', 'GetCustomModel'), 200, {},
         json.dumps({k: v for k, v in good_model.items() if k != 'modelArn'}).encode(), 'required'),
        ('unknown member baseModelNames', op('bedrock', 'GetCustomModel'), 200, {},
         json.dumps({**good_model, 'baseModelNames': 'x'}).encode(), 'not in'),
        ('epoch timestamp where the model says iso8601', op('bedrock', 'GetCustomModel'), 200, {},
         json.dumps({**good_model, 'creationTime': 1767225600}).encode(), 'timestamp'),
        ('bad enum', op('bedrock', 'GetCustomModel'), 200, {},
         json.dumps({**good_model, 'customizationType': 'FINETUNING'}).encode(), 'not one of'),
        ('bad pattern', op('bedrock', 'GetCustomModel'), 200, {},
         json.dumps({**good_model, 'modelArn': 'arn:aws:s3:::bucket'}).encode(), 'pattern'),
        ('too long', op('bedrock', 'GetCustomModel'), 200, {},
         json.dumps({**good_model, 'modelName': 'm' * 200}).encode(), 'max'),
        ('validationDataConfig without its required validators', op('bedrock', 'GetModelCustomizationJob'), 200, {},
         json.dumps({'validationDataConfig': {}}).encode(), 'validationDataConfig.validators: required'),
        ('null member', op('stepfunctions', 'DescribeExecution'), 200, {},
         json.dumps({'executionArn': 'arn:aws:states:us-east-1:0:execution:m:e', 'stateMachineArn': 'arn:aws:states:us-east-1:0:stateMachine:m',
                     'status': 'SUCCEEDED', 'startDate': 1.5, 'stopDate': None}).encode(), 'null'),
        ('string timestamp in awsJson', op('stepfunctions', 'StartExecution'), 200, {},
         json.dumps({'executionArn': 'arn:aws:states:us-east-1:0:execution:m:e', 'startDate': '2026-01-01T00:00:00Z'}).encode(), 'epoch'),
        ('unmodeled error code', op('stepfunctions', 'DescribeExecution'), 400, {},
         json.dumps({'__type': 'NoSuchThing', 'message': 'x'}).encode(), 'not one this operation models'),
        ('misspelled XML element', op('s3', 'ListObjectsV2'), 200, {},
         b'<ListBucketResult><Name>b</Name><Prefix></Prefix><KeyCount>0</KeyCount><MaxKeys>1000</MaxKeys>'
         b'<IsTruncated>false</IsTruncated><Contets><Key>k</Key></Contets></ListBucketResult>', 'Contets'),
        ('XML integer that is not one', op('s3', 'ListObjectsV2'), 200, {},
         b'<ListBucketResult><Name>b</Name><KeyCount>zero</KeyCount></ListBucketResult>', 'integer'),
        ('bad header timestamp', op('s3', 'HeadObject'), 200, {'Last-Modified': '2026-01-01T00:00:00Z'}, b'', 'rfc822'),
        ('wrong success status', op('bedrock', 'CreateModelCustomizationJob'), 200, {},
         json.dumps({'jobArn': good_model['jobArn']}).encode(), 'answers 201'),
        ('wrong error status', op('bedrock', 'GetCustomModel'), 400, {'x-amzn-errortype': 'ResourceNotFoundException'},
         json.dumps({'message': 'gone'}).encode(), 'HTTP 404 in the model'),
        ('S3 error with the wrong status', op('s3', 'PutObject'), 409, {},
         b'<Error><Code>PreconditionFailed</Code><Message>m</Message></Error>', 'HTTP 412'),
        ('bad header enum', op('s3', 'HeadObject'), 200, {'x-amz-storage-class': 'CHEAP'}, b'', 'not one of'),
        ('query: a Role without its required RoleId', op('iam', 'GetRole'), 200, {},
         b'<GetRoleResponse><GetRoleResult><Role><Path>/</Path><RoleName>r</RoleName>'
         b'<Arn>arn:aws:iam::000000000000:role/r</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate></Role>'
         b'</GetRoleResult><ResponseMetadata><RequestId>x</RequestId></ResponseMetadata></GetRoleResponse>', 'RoleId'),
        ('query: result outside its wrapper', op('sts', 'GetCallerIdentity'), 200, {},
         b'<GetCallerIdentityResponse><Account>0</Account></GetCallerIdentityResponse>', 'Account'),
        ('query: error with the wrong status', op('iam', 'GetRole'), 400, {},
         b'<ErrorResponse><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>m</Message></Error></ErrorResponse>',
         'HTTP 404'),
        ('query: map entry without its value', op('sns', 'GetTopicAttributes'), 200, {},
         b'<GetTopicAttributesResponse><GetTopicAttributesResult><Attributes><entry><key>Owner</key></entry>'
         b'</Attributes></GetTopicAttributesResult></GetTopicAttributesResponse>', 'map entry'),
    ]
    bad = 0
    for label, operation, status, headers, body, needle in cases:
        problems = check_response(operation, status, headers, body).problems
        caught = any(needle in p for p in problems) if needle else not problems
        print(f'{"ok  " if caught else "FAIL"} self-test: {label}' + ('' if caught else f' -> {problems}'))
        bad += 0 if caught else 1
    # the recorded traffic is attributed with the model's own routing: a wrong attribution checks the wrong shape
    routes = [
        ('s3', 'PUT', '/b/k?partNumber=1&uploadId=u', [], 'UploadPart'),
        ('s3', 'PUT', '/b/k', ['x-amz-copy-source'], 'CopyObject'),
        ('s3', 'PUT', '/b/k', [], 'PutObject'),
        ('s3', 'GET', '/b?list-type=2&prefix=p', [], 'ListObjectsV2'),
        ('s3', 'POST', '/b?delete', [], 'DeleteObjects'),
        ('bedrock', 'GET', '/custom-models/m', [], 'GetCustomModel'),
        ('bedrock', 'POST', '/model-customization-jobs/j/stop', [], 'StopModelCustomizationJob'),
        ('bedrock-runtime', 'POST', '/model/m/converse', [], 'Converse'),
        ('bedrock', 'GET', '/no/such/route', [], None),
    ]
    for svc, method, url, headers, expected in routes:
        got = operation_for(session.get_service_model(svc), method, url, None, headers)
        ok = (got.name if got else None) == expected
        print(f'{"ok  " if ok else "FAIL"} self-test: {svc} {method} {url} -> {expected}' + ('' if ok else f' (got {got and got.name})'))
        bad += 0 if ok else 1
    print(f'{len(cases) + len(routes) - bad} passed, {bad} failed')
    return 1 if bad else 0


def main() -> int:
    if sys.argv[1:] == ['--self-test']:
        return self_test()
    info = json.loads(sys.argv[1])
    capture = Capture()
    try:
        drive(info, clients(info, capture))
    except Exception as error:  # noqa: BLE001 - report what was checked, then the driving failure
        code = report(capture, info.get('traffic'))
        print(f'FAIL driving the stack: {type(error).__name__}: {error}')
        return 1 if code == 0 else code
    return report(capture, info.get('traffic'))


if __name__ == '__main__':
    sys.exit(main())
