import { getKernel } from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
const be = new MathBackendCPU(); be.firstUse = false;
const run = (k, inputs, attrs={}) => getKernel(k,'cpu').kernelFunc({inputs, backend: be, attrs});
const rnd = (shape) => { const n = shape.reduce((a,b)=>a*b,1); const v = new Float32Array(n); for (let i=0;i<n;i++) v[i]=Math.random()-0.5; return be.makeTensorInfo(shape,'float32',v); };
const time = (name, f, reps=3) => { let best=1e9; for (let r=0;r<reps;r++){ const t=performance.now(); const o=f(); best=Math.min(best, performance.now()-t); be.disposeData(o.dataId);} console.log(name, best.toFixed(1),'ms'); };
for (const [xs, fs, s] of [[[32,28,28,1],[3,3,1,32],1],[[32,26,26,32],[3,3,32,64],1],[[32,12,12,64],[3,3,64,64],2]]) {
  const x = rnd(xs), f = rnd(fs);
  const oh = Math.floor((xs[1]-fs[0])/s)+1, ow = Math.floor((xs[2]-fs[1])/s)+1;
  const dy = rnd([xs[0], oh, ow, fs[3]]);
  console.log('x', xs, 'f', fs, 's', s, 'GFLOP', (2*xs[0]*oh*ow*fs[3]*fs[0]*fs[1]*fs[2]/1e9).toFixed(3));
  const pad = [[0,0],[0,0],[0,0],[0,0]];
  time('Conv2D', () => run('Conv2D', {x, filter:f}, {strides:s, pad, dataFormat:'NHWC', dilations:1}));
  time('Conv2DBackpropFilter', () => run('Conv2DBackpropFilter', {x, dy}, {strides:s, pad, dataFormat:'NHWC', filterShape: fs}), 1);
  time('Conv2DBackpropInput', () => run('Conv2DBackpropInput', {dy, filter:f}, {strides:s, pad, dataFormat:'NHWC', inputShape: xs}));
  const M = xs[0]*oh*ow, K = fs[0]*fs[1]*fs[2], N = fs[3];
  const A = rnd([1,M,K]), B = rnd([1,K,N]), DY = rnd([1,M,N]);
  time('BatchMatMul M,K x K,N', () => run('BatchMatMul', {a:A,b:B}, {transposeA:false,transposeB:false}));
  time('BatchMatMul tA: K,M^T x M,N', () => run('BatchMatMul', {a:A,b:DY}, {transposeA:true,transposeB:false}));
  time('BatchMatMul M,N x (K,N)^T', () => run('BatchMatMul', {a:DY,b:B}, {transposeA:false,transposeB:true}));
  const fT = rnd([N, K]);
  time('BatchMatMul M,K x (N,K)^T', () => run('BatchMatMul', {a:A,b:fT}, {transposeA:false,transposeB:true}));
  // kernel-based transpose timing for element cost
  time('Transpose of M*K elements', () => run('Transpose', {x: A}, {perm:[0,2,1]}),1);
}
