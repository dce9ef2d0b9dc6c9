#!/bin/bash
echo "=== Cleanup Verification ==="
echo ""
echo "Checking Provisioned Throughput..."
aws bedrock list-provisioned-model-throughputs --region ap-south-1 --query "provisionedModelSummaries[?contains(provisionedModelName, 'finetuned')]"
echo ""
echo "Checking S3 Buckets..."
aws s3 ls | grep finetuning
echo ""
echo "Checking IAM Roles..."
aws iam get-role --role-name BedrockFineTuningRole 2>&1 | grep -q "NoSuchEntity" && echo "✅ Role deleted" || echo "⚠� Role still exists"
echo ""
echo "=== Verification Complete ==="
