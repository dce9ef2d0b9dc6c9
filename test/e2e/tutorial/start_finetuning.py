import boto3
import json
import time
from datetime import datetime

# ─── CONFIGURATION ──────────────────────────────────────────────
# Update these values to match your setup
REGION = "us-east-1"
BUCKET_NAME = "bedrock-finetuning-tunekit-local"  # � Change this!
ROLE_NAME = "BedrockFineTuningRole"
BASE_MODEL_ID = "amazon.titan-text-express-v1"
# ─────────────────────────────────────────────────────────────────

def get_role_arn(role_name):
    """Look up the full ARN for our IAM role."""
    iam = boto3.client("iam")
    response = iam.get_role(RoleName=role_name)
    return response["Role"]["Arn"]

def start_fine_tuning_job():
    """Submit a fine-tuning job to Amazon Bedrock."""

    print("=" * 55)
    print("  Bedrock Fine-Tuning — Job Launcher")
    print("=" * 55)

    try:
        bedrock = boto3.client("bedrock", region_name=REGION)
        role_arn = get_role_arn(ROLE_NAME)

        # Generate a unique job name using timestamp
        timestamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        job_name = f"banking-assistant-ft-{timestamp}"
        custom_model_name = f"banking-assistant-{timestamp}"

        print(f"\n  ğ��� Job Name         : {job_name}")
        print(f"  ğ��� Base Model       : {BASE_MODEL_ID}")
        print(f"  ğ�� Training Data    : s3://{BUCKET_NAME}/training-data/training_data.jsonl")
        print(f"  ğ��� IAM Role         : {role_arn}")
        print(f"  ğ�� Region           : {REGION}")

        # Define hyperparameters
        # These control HOW the model learns — don't worry about tuning
        # these for now; the defaults work well for learning purposes.
        hyper_parameters = {
            "epochCount": "2",          # How many times the model reads through all examples
            "batchSize": "1",           # How many examples to process at once
            "learningRate": "0.00001"   # How fast the model adjusts (smaller = more careful)
        }

        print(f"\n  ⚙�  Hyperparameters:")
        for key, value in hyper_parameters.items():
            print(f"     {key}: {value}")

        print(f"\n  ğ��� Submitting fine-tuning job...")
        response = bedrock.create_model_customization_job(
            jobName=job_name,
            customModelName=custom_model_name,
            roleArn=role_arn,
            baseModelIdentifier=BASE_MODEL_ID,
            trainingDataConfig={
                "s3Uri": f"s3://{BUCKET_NAME}/training-data/training_data.jsonl"
            },
            outputDataConfig={
                "s3Uri": f"s3://{BUCKET_NAME}/output/"
            },
            hyperParameters=hyper_parameters
        )

        job_arn = response["jobArn"]
        print(f"\n  ✅ Job submitted successfully!")
        print(f"  ğ��� Job ARN: {job_arn}")

        # Save job details for later use
        job_details = {
            "job_name": job_name,
            "job_arn": job_arn,
            "custom_model_name": custom_model_name,
            "base_model_id": BASE_MODEL_ID,
            "submitted_at": datetime.now().isoformat(),
            "bucket": BUCKET_NAME
        }

        with open("job_details.json", "w") as f:
            json.dump(job_details, f, indent=2)

        print(f"  ğ��� Job details saved to: job_details.json")

        # Monitor the job
        print(f"\n  � Monitoring job status (press Ctrl+C to stop monitoring)...")
        print(f"     Fine-tuning typically takes 30 minutes to 2+ hours.\n")

        while True:
            status_response = bedrock.get_model_customization_job(jobIdentifier=job_arn)
            status = status_response["status"]
            elapsed = datetime.now().strftime("%H:%M:%S")

            if status == "Completed":
                print(f"  [{elapsed}] ✅ COMPLETED — Your fine-tuned model is ready!")
                print(f"\n  ğ�� Custom Model Name: {custom_model_name}")

                # Update job details
                job_details["status"] = "Completed"
                job_details["completed_at"] = datetime.now().isoformat()
                with open("job_details.json", "w") as f:
                    json.dump(job_details, f, indent=2)
                break

            elif status == "Failed":
                failure_message = status_response.get("failureMessage", "Unknown error")
                print(f"  [{elapsed}] � FAILED — {failure_message}")
                break

            elif status == "Stopped":
                print(f"  [{elapsed}] ��  STOPPED — Job was manually cancelled")
                break

            else:
                print(f"  [{elapsed}] � Status: {status}...")
                time.sleep(60)  # Check every 60 seconds

    except Exception as e:
        print(f"\n  � Error: {e}")
        print(f"\n  ğ��� Troubleshooting tips:")
        print(f"     1. Verify your bucket name is correct")
        print(f"     2. Ensure the IAM role has the correct permissions")
        print(f"     3. Check that model access is enabled in Bedrock console")
        print(f"     4. Verify the training data file exists in S3")

    print("\n" + "=" * 55)

if __name__ == "__main__":
    start_fine_tuning_job()
