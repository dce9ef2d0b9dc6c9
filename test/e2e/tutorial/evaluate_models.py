import boto3
import json
from datetime import datetime

# ─── CONFIGURATION ──────────────────────────────────────────────
REGION = "us-east-1"
BASE_MODEL_ID = "amazon.titan-text-express-v1"

# CRITICAL: Replace with YOUR Provisioned Model ARN from the setup step above
# Find this in: Bedrock Console → Custom models → Provisioned Throughput → Copy ARN
PROVISIONED_MODEL_ARN = "arn:aws:bedrock:ap-south-1:ACCOUNT_ID:provisioned-model/XXXXX"
# Example: "arn:aws:bedrock:ap-south-1:123456789012:provisioned-model/abc123def456"
# ─────────────────────────────────────────────────────────────────

def validate_configuration():
    """Ensure the user has updated the Provisioned Model ARN."""
    if "XXXXX" in PROVISIONED_MODEL_ARN or "ACCOUNT_ID" in PROVISIONED_MODEL_ARN:
        print("=" * 65)
        print("  ⚠�  CONFIGURATION ERROR")
        print("=" * 65)
        print()
        print("  You must update PROVISIONED_MODEL_ARN in this script!")
        print()
        print("  Steps:")
        print("  1. Open Bedrock Console → Custom models → Provisioned Throughput")
        print("  2. Find your provisioned throughput (my-finetuned-model-pt)")
        print("  3. Copy the 'Provisioned model ARN'")
        print("  4. Paste it into the PROVISIONED_MODEL_ARN variable at the top")
        print("     of this script")
        print()
        print("=" * 65)
        exit(1)

def invoke_base_model(bedrock_runtime, prompt):
    """Send a prompt to the base (original) model."""
    body = json.dumps({
        "inputText": prompt,
        "textGenerationConfig": {
            "maxTokenCount": 300,
            "temperature": 0.1,
            "topP": 0.9
        }
    })

    try:
        response = bedrock_runtime.invoke_model(
            modelId=BASE_MODEL_ID,
            contentType="application/json",
            accept="application/json",
            body=body
        )

        result = json.loads(response["body"].read())
        return result["results"][0]["outputText"].strip()
    except Exception as e:
        return f"[Error invoking base model: {e}]"

def invoke_finetuned_model(bedrock_runtime, provisioned_model_arn, prompt):
    """Send a prompt to the fine-tuned model via Provisioned Throughput."""
    body = json.dumps({
        "inputText": prompt,
        "textGenerationConfig": {
            "maxTokenCount": 300,
            "temperature": 0.1,
            "topP": 0.9
        }
    })

    try:
        response = bedrock_runtime.invoke_model(
            modelId=provisioned_model_arn,  # Use the PT ARN
            contentType="application/json",
            accept="application/json",
            body=body
        )
        result = json.loads(response["body"].read())
        return result["results"][0]["outputText"].strip()
    except Exception as e:
        return f"[Error invoking fine-tuned model: {e}]"

def evaluate():
    """Compare base model vs fine-tuned model responses."""

    # Validate configuration first
    validate_configuration()

    bedrock_runtime = boto3.client("bedrock-runtime", region_name=REGION)

    print("=" * 65)
    print("  Model Evaluation — Baseline vs Fine-Tuned Comparison")
    print("=" * 65)
    print(f"\n  ğ��� Base Model      : {BASE_MODEL_ID}")
    print(f"  ğ�� Fine-Tuned Model: {PROVISIONED_MODEL_ARN}")
    print()
    print("  ğ��� Tip: Look for differences in:")
    print("     • Specificity and detail")
    print("     • Structured response format")
    print("     • Domain-appropriate language")
    print("     • Consistency with training examples")

    # Test prompts — a mix of in-domain (banking) and out-of-domain queries
    test_prompts = [
        {
            "prompt": "What is the process to dispute a credit card transaction?",
            "category": "In-Domain (trained on similar example)",
            "expected_theme": "Steps for disputing transactions"
        },
        {
            "prompt": "How do I reset my online banking password?",
            "category": "In-Domain (related topic, not in training data)",
            "expected_theme": "Password reset process"
        },
        {
            "prompt": "What are the current mortgage rates?",
            "category": "In-Domain (banking, not in training data)",
            "expected_theme": "Current rate information"
        },
        {
            "prompt": "Can you explain how blockchain technology works?",
            "category": "Out-of-Domain (general tech question)",
            "expected_theme": "Technical explanation"
        }
    ]

    results = []

    for i, test in enumerate(test_prompts, 1):
        print(f"\n{'─' * 65}")
        print(f"  Test {i}/{len(test_prompts)}: {test['category']}")
        print(f"  Prompt: \"{test['prompt']}\"")
        print(f"{'─' * 65}")

        # Get base model response
        print(f"\n  ğ��� BASE MODEL response:")
        base_response = invoke_base_model(bedrock_runtime, test["prompt"])
        print(f"  {base_response[:200]}{'...' if len(base_response) > 200 else ''}")

        # Get fine-tuned model response
        print(f"\n  ğ��� FINE-TUNED MODEL response:")
        ft_response = invoke_finetuned_model(
            bedrock_runtime, PROVISIONED_MODEL_ARN, test["prompt"]
        )
        print(f"  {ft_response[:200]}{'...' if len(ft_response) > 200 else ''}")

        results.append({
            "prompt": test["prompt"],
            "category": test["category"],
            "base_response": base_response,
            "finetuned_response": ft_response,
            "expected_theme": test["expected_theme"]
        })

    # Save full results
    evaluation_report = {
        "evaluation_date": datetime.now().isoformat(),
        "base_model": BASE_MODEL_ID,
        "finetuned_model_arn": PROVISIONED_MODEL_ARN,
        "results": results,
        "summary": {
            "total_tests": len(test_prompts),
            "in_domain_tests": sum(
                1 for t in test_prompts if "In-Domain" in t["category"]
            ),
            "out_of_domain_tests": sum(
                1 for t in test_prompts if "Out-of-Domain" in t["category"]
            )
        }
    }

    with open("evaluation_report.json", "w") as f:
        json.dump(evaluation_report, f, indent=2)

    print(f"\n{'=' * 65}")
    print(f"  ğ��� Evaluation Complete!")
    print(f"{'=' * 65}")
    print(f"\n  ğ�� Full report saved to: evaluation_report.json")
    print(f"\n  ğ��� What to look for:")
    print(f"     • In-Domain prompts: Fine-tuned model should give more")
    print(f"       specific, banking-appropriate responses")
    print(f"     • Out-of-Domain prompts: Both models should perform")
    print(f"       similarly (fine-tuning shouldn't hurt general ability)")
    print(f"     • Response format: Fine-tuned model may follow the")
    print(f"       structured format from our training examples")
    print(f"\n  ğ��� Tip: Open evaluation_report.json to read full responses")
    print(f"     side-by-side for detailed comparison.")
    print()
    print(f"  ğ��� IMPORTANT: After reviewing results, DELETE your")
    print(f"     Provisioned Throughput to stop billing!")
    print(f"     See cleanup instructions below.")

if __name__ == "__main__":
    evaluate()
