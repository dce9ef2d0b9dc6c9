"""Creates a DISTILLATION and a REINFORCEMENT_FINE_TUNING job with boto3 against the local stack (after
`tunekit local env`), waits for both, and prints what GetModelCustomizationJob returned, plus the
refusals of three bad requests, as JSON. Usage: boto3_methods.py <banking train.jsonl> <rft train.jsonl>"""
import json
import sys
import time

import boto3
from botocore.exceptions import ClientError

BUCKET = "tunekit-methods-boto3"
ROLE = "arn:aws:iam::000000000000:role/BedrockFineTuningRole"
GRADER = "arn:aws:lambda:us-east-1:000000000000:function:grader"

s3 = boto3.client("s3")
bedrock = boto3.client("bedrock")
s3.create_bucket(Bucket=BUCKET)

# Distillation data: the banking conversations without their answers (prompts only).
prompts = []
for line in open(sys.argv[1], encoding="utf-8"):
    if line.strip():
        record = json.loads(line)
        record["messages"] = [m for m in record["messages"] if m["role"] == "user"][:1]
        prompts.append(json.dumps(record))
s3.put_object(Bucket=BUCKET, Key="data/prompts.jsonl", Body="\n".join(prompts).encode())
s3.put_object(Bucket=BUCKET, Key="data/rft.jsonl", Body=open(sys.argv[2], "rb").read())


def job(name, base, key, **extra):
    return dict(
        jobName=name,
        customModelName=f"{name}-model",
        roleArn=ROLE,
        baseModelIdentifier=base,
        trainingDataConfig={"s3Uri": f"s3://{BUCKET}/{key}"},
        outputDataConfig={"s3Uri": f"s3://{BUCKET}/output/"},
        **extra,
    )


distill_arn = bedrock.create_model_customization_job(
    **job(
        "boto3-distill",
        "amazon.nova-micro-v1:0:128k",
        "data/prompts.jsonl",
        customizationType="DISTILLATION",
        customizationConfig={
            "distillationConfig": {
                "teacherModelConfig": {
                    "teacherModelIdentifier": "us.amazon.nova-premier-v1:0",
                    "maxResponseLengthForInference": 1000,
                }
            }
        },
    )
)["jobArn"]
rft_arn = bedrock.create_model_customization_job(
    **job(
        "boto3-rft",
        "amazon.nova-2-lite-v1:0:256k",
        "data/rft.jsonl",
        customizationType="REINFORCEMENT_FINE_TUNING",
        customizationConfig={
            "rftConfig": {
                "graderConfig": {"lambdaGrader": {"lambdaArn": GRADER}},
                "hyperParameters": {
                    "epochCount": 2,
                    "batchSize": 16,
                    "learningRate": 0.0001,
                    "trainingSamplePerPrompt": 4,
                    "inferenceMaxTokens": 512,
                    "reasoningEffort": "low",
                    "evalInterval": 1,
                },
            }
        },
    )
)["jobArn"]


def wait(arn):
    deadline = time.time() + 240
    while True:
        got = bedrock.get_model_customization_job(jobIdentifier=arn)
        if got["status"] != "InProgress" or time.time() > deadline:
            return got
        time.sleep(1)


def summary(got):
    keys = ["status", "failureMessage", "customizationType", "customizationConfig", "outputModelArn", "trainingMetrics"]
    return {k: got.get(k) for k in keys}


refusals = []
for name, base, extra in [
    (
        "boto3-bad-teacher",
        "amazon.nova-micro-v1:0:128k",
        dict(
            customizationType="DISTILLATION",
            customizationConfig={"distillationConfig": {"teacherModelConfig": {"teacherModelIdentifier": "amazon.nova-lite-v1:0"}}},
        ),
    ),
    (
        "boto3-rft-micro",
        "amazon.nova-micro-v1:0:128k",
        dict(
            customizationType="REINFORCEMENT_FINE_TUNING",
            customizationConfig={"rftConfig": {"graderConfig": {"lambdaGrader": {"lambdaArn": GRADER}}}},
        ),
    ),
    ("boto3-rft-no-config", "amazon.nova-2-lite-v1:0:256k", dict(customizationType="REINFORCEMENT_FINE_TUNING")),
]:
    try:
        bedrock.create_model_customization_job(**job(name, base, "data/rft.jsonl", **extra))
        refusals.append({"job": name, "code": None})
    except ClientError as e:
        refusals.append({"job": name, "code": e.response["Error"]["Code"], "message": e.response["Error"]["Message"]})

distill = wait(distill_arn)
rft = wait(rft_arn)
job_id = rft_arn.split("/")[-1]
metrics = s3.get_object(
    Bucket=BUCKET, Key=f"output/model-customization-job-{job_id}/training_artifacts/step_wise_training_metrics.csv"
)["Body"].read().decode()
print(json.dumps({"distillation": summary(distill), "rft": summary(rft), "rftMetrics": metrics, "refusals": refusals}, default=str))
