/** A job that ends Failed for a reason the user can fix (data, locations, configuration): its message is the job's failureMessage. */
export class JobFailure extends Error {
  override readonly name = 'JobFailure';
}
