"""boto3 against the local stack (after `tunekit local env`): turns on model invocation logging to S3, calls
Converse on the teacher 110 times tagged use=distill and 5 times tagged use=eval, reads the logging
configuration back, then creates two DISTILLATION jobs from the logs (usePromptResponse, filter use=distill;
and filter use=eval, too few records) and prints what it saw as JSON."""
import json
import time

import boto3

BUCKET = "tunekit-invocation-logs-boto3"
ROLE = "arn:aws:iam::000000000000:role/BedrockFineTuningRole"
TEACHER = "us.amazon.nova-pro-v1:0"
TOPICS = ["savings account", "credit card", "mortgage", "wire transfer", "debit card", "overdraft"]

s3 = boto3.client("s3")
bedrock = boto3.client("bedrock")
runtime = boto3.client("bedrock-runtime")
s3.create_bucket(Bucket=BUCKET)
bedrock.put_model_invocation_logging_configuration(
    loggingConfig={"s3Config": {"bucketName": BUCKET, "keyPrefix": "bedrock-logs"}, "textDataDeliveryEnabled": True}
)
logging_config = bedrock.get_model_invocation_logging_configuration()["loggingConfig"]

logged = {"distill": [], "eval": []}
for use, count in [("distill", 110), ("eval", 5)]:
    for i in range(count):
        prompt = f"Question {use}-{i}: how do I manage my {TOPICS[i % len(TOPICS)]}?"
        out = runtime.converse(
            modelId=TEACHER,
            messages=[{"role": "user", "content": [{"text": prompt}]}],
            inferenceConfig={"maxTokens": 24},
            requestMetadata={"use": use},
        )
        logged[use].append([prompt, out["output"]["message"]["content"][0]["text"]])


def create(name, use):
    return bedrock.create_model_customization_job(
        jobName=name,
        customModelName=f"{name}-model",
        roleArn=ROLE,
        baseModelIdentifier="amazon.nova-micro-v1:0:128k",
        customizationType="DISTILLATION",
        customizationConfig={"distillationConfig": {"teacherModelConfig": {"teacherModelIdentifier": TEACHER}}},
        hyperParameters={"epochCount": "1"},
        trainingDataConfig={
            "invocationLogsConfig": {
                "invocationLogSource": {"s3Uri": f"s3://{BUCKET}/bedrock-logs/"},
                "usePromptResponse": True,
                "requestMetadataFilters": {"equals": {"use": use}},
            }
        },
        outputDataConfig={"s3Uri": f"s3://{BUCKET}/output/"},
    )["jobArn"]


def wait(arn):
    deadline = time.time() + 50
    while True:
        got = bedrock.get_model_customization_job(jobIdentifier=arn)
        if got["status"] != "InProgress" or time.time() > deadline:
            return got
        time.sleep(0.5)


distill_arn = create("boto3-logs-distill", "distill")
few_arn = create("boto3-logs-too-few", "eval")
distill = wait(distill_arn)
few = wait(few_arn)
synthetic = []
if distill["status"] == "Completed":
    key = f"output/model-customization-job-{distill_arn.split('/')[-1]}/distillation_artifacts/synthetic_data.jsonl"
    for line in s3.get_object(Bucket=BUCKET, Key=key)["Body"].read().decode().splitlines():
        if line.strip():
            synthetic.append([m["content"][0]["text"] for m in json.loads(line)["messages"]])
log_files = s3.list_objects_v2(Bucket=BUCKET, Prefix="bedrock-logs/")["KeyCount"]
print(
    json.dumps(
        {
            "loggingConfig": logging_config,
            "logFiles": log_files,
            "logged": logged,
            "distill": {k: distill.get(k) for k in ["status", "failureMessage", "trainingDataConfig"]},
            "synthetic": synthetic,
            "tooFew": {k: few.get(k) for k in ["status", "failureMessage"]},
        },
        default=str,
    )
)
