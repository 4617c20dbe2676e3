import { getKernel } from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
const be = new MathBackendCPU(); be.firstUse = false;
const run = (k, inputs, attrs={}) => getKernel(k,'cpu').kernelFunc({inputs, backend: be, attrs});
const f = be.makeTensorInfo([4],'float32',new Float32Array([-1.5, 0.5, 2.5, NaN]));
const i = be.makeTensorInfo([4],'int32',new Int32Array([-3, 0, 2, 7]));
const b = be.makeTensorInfo([4],'bool',new Uint8Array([1,0,1,0]));
const show = (n, o) => { const v = be.readSync(o.dataId); console.log(n.padEnd(22), o.dtype, v.constructor.name, Array.from(v).join(',')); };
for (const k of ['Neg','Abs','Sign','Exp','Expm1','Log','Log1p','Sqrt','Rsqrt','Square','Reciprocal','Sin','Cos','Tanh','Sigmoid','Relu','Erf','Floor','Ceil','Round','Softplus','IsNan','IsFinite']) {
  for (const [nm,x] of [['f',f],['i',i]]) { try { show(k+' '+nm, run(k,{x})); } catch(e) { console.log(k, nm, 'ERR', e.message); } }
}
show('LogicalNot b', run('LogicalNot',{x:b}));
for (const k of ['Add','Sub','Multiply','RealDiv','Pow','Maximum','Minimum','FloorDiv','Mod','Equal','Less']) {
  for (const [nm,x] of [['f',f],['i',i]]) { try { show(k+' '+nm, run(k,{a:x,b:x})); } catch(e) { console.log(k, nm, 'ERR', e.message); } }
}
for (const k of ['Sum','Mean','Max','Min','Prod']) for (const [nm,x] of [['f',f],['i',i],['b',b]]) { try { show(k+' '+nm, run(k,{x},{axis:[0],keepDims:false})); } catch(e) { console.log(k, nm, 'ERR', e.message); } }
show('Cast f->i', run('Cast',{x:f},{dtype:'int32'}));
show('Cast f->b', run('Cast',{x:f},{dtype:'bool'}));
show('Cast b->f', run('Cast',{x:b},{dtype:'float32'}));
show('Cast i->b', run('Cast',{x:i},{dtype:'bool'}));
show('Select', run('Select',{condition:b,t:f,e:i}));
show('Tile b', run('Tile',{x:b},{reps:[2]}));
show('Transpose b', run('Transpose',{x:b},{perm:[0]}));
show('Pad b', run('PadV2',{x:b},{paddings:[[1,1]], constantValue:1}));

show('Concat b', run('Concat',[b,b],{axis:0}));
show('Reverse b', run('Reverse',{x:b},{dims:[0]}));
show('Gather b', run('GatherV2',{x:b, indices:be.makeTensorInfo([2],'int32',new Int32Array([3,0]))},{axis:0,batchDims:0}));
show('ArgMax', run('ArgMax',{x:i},{axis:0}));
show('Round', run('Round',{x:be.makeTensorInfo([6],'float32',new Float32Array([0.5,1.5,2.5,-0.5,-1.5,2.4]))}));
console.log('numDataIds', be.numDataIds());
