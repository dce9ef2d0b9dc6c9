/** ARNs of the local Step Functions, shaped like AWS's so clients parse them the same way. */
export interface ArnScope {
  region: string;
  account: string;
}

export const stateMachineArn = (s: ArnScope, name: string) =>
  `arn:aws:states:${s.region}:${s.account}:stateMachine:${name}`;
export const executionArn = (s: ArnScope, machine: string, name: string) =>
  `arn:aws:states:${s.region}:${s.account}:execution:${machine}:${name}`;

/** `{machine, name}` of an execution ARN, or undefined when the ARN is not one. */
export function parseExecutionArn(arn: unknown): { machine: string; name: string } | undefined {
  if (typeof arn !== 'string') return undefined;
  const m = /^arn:aws[\w-]*:states:[\w-]+:\d{12}:execution:([^:]+):([^:]+)$/.exec(arn);
  return m ? { machine: m[1]!, name: m[2]! } : undefined;
}

export function parseStateMachineArn(arn: unknown): string | undefined {
  if (typeof arn !== 'string') return undefined;
  return /^arn:aws[\w-]*:states:[\w-]+:\d{12}:stateMachine:([^:]+)$/.exec(arn)?.[1];
}

/** Step Functions' rule for execution and state machine names: 1-80 chars, none of the listed. */
export function isValidName(name: string): boolean {
  return (
    name.length >= 1 &&
    name.length <= 80 &&
    !/[\s<>{}[\]?*"#%\\^|~`$&,;:/]/.test(name) &&
    ![...name].some((c) => c.charCodeAt(0) < 0x20 || (c.charCodeAt(0) >= 0x7f && c.charCodeAt(0) <= 0x9f))
  );
}

/** Lambda function name from an ARN (`arn:aws:lambda:r:a:function:NAME[:qualifier]`) or a bare name. */
export function functionNameOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^arn:aws[\w-]*:lambda:[\w-]+:\d{12}:function:([\w-]+)(:[\w$-]+)?$/.exec(value);
  return m ? m[1] : /^[\w-]+$/.test(value) ? value : undefined;
}
