import boto3
import json

def check_setup():
    print("=" * 50)
    print("  AWS Bedrock Fine-Tuning — Setup Verification")
    print("=" * 50)

    # Check 1: Can we connect to AWS?
    try:
        sts = boto3.client("sts")
        identity = sts.get_caller_identity()
        print(f"\n✅ AWS Connection     : Working")
        print(f"   Account ID        : {identity['Account']}")
    except Exception as e:
        print(f"\n� AWS Connection     : Failed — {e}")
        return

    # Check 2: Can we reach Bedrock?
    try:
        bedrock = boto3.client("bedrock", region_name="ap-south-1")
        models = bedrock.list_foundation_models()
        model_count = len(models.get("modelSummaries", []))
        print(f"✅ Bedrock Access     : Working ({model_count} models available)")
    except Exception as e:
        print(f"� Bedrock Access     : Failed — {e}")
        return

    # Check 3: Can we access S3?
    try:
        s3 = boto3.client("s3")
        buckets = s3.list_buckets()
        bucket_names = [b["Name"] for b in buckets["Buckets"]]
        ft_buckets = [b for b in bucket_names if "finetuning" in b.lower()]
        if ft_buckets:
            print(f"✅ S3 Bucket          : Found — {ft_buckets[0]}")
        else:
            print(f"⚠�  S3 Bucket          : No fine-tuning bucket found (create one in Step 4)")
    except Exception as e:
        print(f"� S3 Access          : Failed — {e}")

    print("\n" + "=" * 50)
    print("  Setup verification complete!")
    print("=" * 50)

if __name__ == "__main__":
    check_setup()
