/**
 * Adam for sparse parameters ("lazy Adam"): only the rows that received a gradient in a step are
 * updated, each keeping its own moment estimates. Bias correction uses the global step count.
 */
export class SparseAdam {
  private readonly m = new Map<number, Float64Array>();
  private readonly v = new Map<number, Float64Array>();
  private t = 0;

  constructor(
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly eps = 1e-8,
  ) {}

  /** Starts a step; call `update` for each parameter row that has a gradient. */
  begin(): void {
    this.t++;
  }

  update(key: number, param: Float64Array, grad: Float64Array, lr: number): void {
    let m = this.m.get(key);
    let v = this.v.get(key);
    if (!m || !v) {
      m = new Float64Array(param.length);
      v = new Float64Array(param.length);
      this.m.set(key, m);
      this.v.set(key, v);
    }
    const c1 = 1 - this.beta1 ** this.t;
    const c2 = 1 - this.beta2 ** this.t;
    for (let k = 0; k < param.length; k++) {
      const g = grad[k]!;
      m[k] = this.beta1 * m[k]! + (1 - this.beta1) * g;
      v[k] = this.beta2 * v[k]! + (1 - this.beta2) * g * g;
      param[k]! -= (lr * (m[k]! / c1)) / (Math.sqrt(v[k]! / c2) + this.eps);
    }
  }
}
