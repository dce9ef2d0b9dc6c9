#!/bin/bash
# The tutorial's Cleanup steps 1-6, command for command, with the placeholders filled in as it says
# (bucket name; the topic ARN "from above"). Run from the directory holding job_details.json.
# List all provisioned throughputs to confirm name
aws bedrock list-provisioned-model-throughputs --region ap-south-1

# Delete by name
aws bedrock delete-provisioned-model-throughput \
    --provisioned-model-id my-finetuned-model-pt \
    --region ap-south-1
# Delete all objects in the bucket first
aws s3 rm s3://bedrock-finetuning-tunekit-local --recursive

# Then delete the bucket
aws s3 rb s3://bedrock-finetuning-tunekit-local
# Delete the inline policy first
aws iam delete-role-policy \
    --role-name BedrockFineTuningRole \
    --policy-name BedrockS3Access

# Then delete the role
aws iam delete-role --role-name BedrockFineTuningRole
# Remove targets first
aws events remove-targets \
    --rule bedrock-finetuning-trigger \
    --ids "1" \
    --region ap-south-1 2>/dev/null

# Then delete the rule
aws events delete-rule \
    --name bedrock-finetuning-trigger \
    --region ap-south-1 2>/dev/null
# List topics to find the ARN
aws sns list-topics \
    --query "Topics[?contains(TopicArn, 'finetuning-notifications')]" \
    --output text

# Delete using the ARN (replace with actual ARN from above)
aws sns delete-topic \
    --topic-arn arn:aws:sns:us-east-1:000000000000:finetuning-notifications
# Load custom model name from saved job details
CUSTOM_MODEL_NAME=$(python -c "import json; print(json.load(open('job_details.json'))['custom_model_name'])")

# Delete the model
aws bedrock delete-custom-model \
    --model-identifier $CUSTOM_MODEL_NAME \
    --region ap-south-1
