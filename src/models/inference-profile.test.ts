import { describe, expect, it } from 'vitest';
import { TunekitError } from '../errors.ts';
import { CATALOG, getModel } from './catalog.ts';
import { findInferenceProfile, geographyOf, onDemandModelId } from './inference-profile.ts';

describe('on-demand model ids (inference profiles)', () => {
  it('calls Llama 3.2 and Nova 2 Lite through the profile of the Region’s geography', () => {
    expect(onDemandModelId('meta.llama3-2-1b-instruct-v1:0', 'us-west-2')).toBe(
      'us.meta.llama3-2-1b-instruct-v1:0',
    );
    // The customization id and the alias name the same model.
    expect(onDemandModelId('meta.llama3-2-3b-instruct-v1:0:128k', 'us-east-1')).toBe(
      'us.meta.llama3-2-3b-instruct-v1:0',
    );
    expect(onDemandModelId('amazon.nova-2-lite-v1:0', 'eu-west-1')).toBe('eu.amazon.nova-2-lite-v1:0');
    // No geography profile for Asia Pacific: the global one.
    expect(onDemandModelId('amazon.nova-2-lite-v1:0', 'ap-south-1')).toBe('global.amazon.nova-2-lite-v1:0');
  });

  it('keeps the plain id where the model runs in-Region, and leaves ARNs and profiles alone', () => {
    expect(onDemandModelId('amazon.nova-micro-v1:0', 'us-east-1')).toBe('amazon.nova-micro-v1:0');
    expect(onDemandModelId('meta.llama3-1-8b-instruct-v1:0', 'us-west-2')).toBe(
      'meta.llama3-1-8b-instruct-v1:0',
    );
    expect(onDemandModelId('meta.llama3-1-8b-instruct-v1:0', 'us-east-1')).toBe(
      'us.meta.llama3-1-8b-instruct-v1:0',
    );
    const arn = 'arn:aws:bedrock:us-east-1:123456789012:custom-model-deployment/abc123def456';
    expect(onDemandModelId(arn, 'us-east-1')).toBe(arn);
    expect(onDemandModelId('us.meta.llama3-2-1b-instruct-v1:0', 'us-east-1')).toBe(
      'us.meta.llama3-2-1b-instruct-v1:0',
    );
  });

  it('says which Regions work when none serves the model from the caller’s Region', () => {
    try {
      onDemandModelId('meta.llama3-2-1b-instruct-v1:0', 'eu-central-1');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(TunekitError);
      expect((error as TunekitError).code).toBe('MODEL.NO_ON_DEMAND_ROUTE');
      expect((error as TunekitError).message).toContain('eu-central-1');
      expect((error as TunekitError).hint).toContain('us.meta.llama3-2-1b-instruct-v1:0');
    }
  });

  it('finds a profile by id or ARN; every profile id starts with its geography', () => {
    const match = findInferenceProfile(
      'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-2-lite-v1:0',
    );
    expect(match?.model.id).toBe('amazon.nova-2-lite-v1:0:256k');
    expect(match?.geography).toBe('us');
    expect(findInferenceProfile('meta.llama3-2-1b-instruct-v1:0')).toBeUndefined();
    for (const model of CATALOG)
      for (const [geo, id] of Object.entries(model.onDemandInference.profiles))
        expect(id).toBe(`${geo}.${model.invokeId}`);
    expect(getModel('llama-3.2-90b').onDemandInference.inRegion).toEqual([]);
  });

  it('maps Regions to geographies', () => {
    expect(geographyOf('us-east-2')).toBe('us');
    expect(geographyOf('eu-north-1')).toBe('eu');
    expect(geographyOf('ap-northeast-1')).toBe('apac');
    expect(geographyOf('us-gov-west-1')).toBeUndefined();
    expect(geographyOf('sa-east-1')).toBeUndefined();
  });
});
