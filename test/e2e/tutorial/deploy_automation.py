import boto3
import json
import time

# ─── CONFIGURATION ──────────────────────────────────────────────
REGION = "us-east-1"
BUCKET_NAME = "bedrock-finetuning-tunekit-local"  # � Change this!
ACCOUNT_ID = None  # We'll detect this automatically
# ─────────────────────────────────────────────────────────────────

def get_account_id():
    """Automatically detect the AWS account ID."""
    sts = boto3.client("sts")
    return sts.get_caller_identity()["Account"]

def create_eventbridge_rule():
    """Create an EventBridge rule that triggers when new training data is uploaded."""

    events = boto3.client("events", region_name=REGION)

    # This rule watches for new .jsonl files in our training-data folder
    event_pattern = {
        "source": ["aws.s3"],
        "detail-type": ["Object Created"],
        "detail": {
            "bucket": {"name": [BUCKET_NAME]},
            "object": {
                "key": [{
                    "prefix": "training-data/",
                    "suffix": ".jsonl"
                }]
            }
        }
    }

    print("  ğ��� Creating EventBridge rule...")

    response = events.put_rule(
        Name="bedrock-finetuning-trigger",
        Description="Triggers fine-tuning pipeline when new training data is uploaded to S3",
        EventPattern=json.dumps(event_pattern),
        State="ENABLED"
    )

    print(f"  ✅ EventBridge rule created: {response['RuleArn']}")
    return response["RuleArn"]

def enable_s3_event_notifications():
    """Enable S3 to send events to EventBridge."""

    s3 = boto3.client("s3", region_name=REGION)

    print("  ğ��� Enabling S3 EventBridge notifications...")

    s3.put_bucket_notification_configuration(
        Bucket=BUCKET_NAME,
        NotificationConfiguration={
            "EventBridgeConfiguration": {}
        }
    )

    print("  ✅ S3 EventBridge notifications enabled")

def create_sns_topic():
    """Create an SNS topic for pipeline notifications."""

    sns = boto3.client("sns", region_name=REGION)

    print("  ğ��� Creating SNS notification topic...")

    response = sns.create_topic(Name="finetuning-notifications")
    topic_arn = response["TopicArn"]

    print(f"  ✅ SNS topic created: {topic_arn}")
    print(f"\n  ğ��� To receive notifications, subscribe your email:")
    print(f"     aws sns subscribe --topic-arn {topic_arn} \\")
    print(f"       --protocol email --notification-endpoint YOUR_EMAIL@example.com")

    return topic_arn

def deploy():
    """Deploy the complete automation infrastructure."""

    global ACCOUNT_ID

    print("=" * 60)
    print("  Bedrock Fine-Tuning — Automation Deployment")
    print("=" * 60)

    try:
        ACCOUNT_ID = get_account_id()
    except Exception as e:
        print(f"\n  � AWS Connection Failed: {e}")
        print(f"\n  ğ��� Make sure you have configured AWS credentials:")
        print(f"     Run: aws configure")
        print("\n" + "=" * 60)
        return

    print(f"\n  ğ�� Region      : {REGION}")
    print(f"  ğ��� Bucket      : {BUCKET_NAME}")
    print(f"  ğ��� Account ID  : {ACCOUNT_ID}")
    print()

    try:
        # Step 1: Enable S3 event notifications
        enable_s3_event_notifications()
        print()

        # Step 2: Create EventBridge rule
        rule_arn = create_eventbridge_rule()
        print()

        # Step 3: Create SNS notification topic
        topic_arn = create_sns_topic()
        print()
    except Exception as e:
        print(f"\n  � Deployment Failed: {e}")
        print(f"\n  ğ��� Troubleshooting tips:")
        print(f"     1. Verify your S3 bucket exists: aws s3 ls s3://{BUCKET_NAME}")
        print(f"     2. Check your IAM permissions include EventBridge and SNS access")
        print(f"     3. Verify the region is correct: {REGION}")
        print("\n" + "=" * 60)
        return

    print("=" * 60)
    print("  ✅ Automation infrastructure deployed!")
    print("=" * 60)
    print(f"""
  What happens now:
  
  1. When you upload a new .jsonl file to:
     s3://{BUCKET_NAME}/training-data/
  
  2. EventBridge detects the upload and triggers
     the Step Functions pipeline
  
  3. The pipeline validates data → fine-tunes model →
     evaluates results → registers the model version
  
  4. You receive an email notification with the results

  To test it, upload a new training data file:
    aws s3 cp new_training_data.jsonl \\
      s3://{BUCKET_NAME}/training-data/new_training_data.jsonl
""")

    # Save deployment details
    deployment_info = {
        "account_id": ACCOUNT_ID,
        "region": REGION,
        "bucket": BUCKET_NAME,
        "eventbridge_rule_arn": rule_arn,
        "sns_topic_arn": topic_arn,
        "deployed_at": time.strftime("%Y-%m-%dT%H:%M:%SZ")
    }

    with open("deployment_info.json", "w") as f:
        json.dump(deployment_info, f, indent=2)

    print("  ğ��� Deployment details saved to: deployment_info.json")

if __name__ == "__main__":
    deploy()
