import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../config/schema.ts';
import { jobCustomization } from './job-request.ts';

const teacherOf = (teacherModel: string) =>
  jobCustomization(
    ConfigSchema.parse({ customization: { method: 'distillation', distillation: { teacherModel } } }),
  ).teacherModelConfig?.teacherModelIdentifier;

describe('jobCustomization: the teacher as sent', () => {
  it('sends the foundation-model id for an alias or the customization id, a profile or ARN as written', () => {
    expect(teacherOf('nova-premier')).toBe('amazon.nova-premier-v1:0');
    expect(teacherOf('amazon.nova-pro-v1:0:300k')).toBe('amazon.nova-pro-v1:0');
    expect(teacherOf('us.amazon.nova-premier-v1:0')).toBe('us.amazon.nova-premier-v1:0');
    const arn = 'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0';
    expect(teacherOf(arn)).toBe(arn);
  });

  it('leaves fine-tuning without a customizationConfig part', () => {
    expect(jobCustomization(ConfigSchema.parse({}))).toEqual({
      method: 'fine-tuning',
      customizationType: 'FINE_TUNING',
    });
  });
});
