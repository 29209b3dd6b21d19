package dev.groundwork.kernels.ops;

import dev.groundwork.engine.ops.vgbert.BilinearRelation;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Shape;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.cuda.Cu;
import dev.groundwork.kernels.cuda.CudaDefine;
import dev.groundwork.kernels.cuda.CudaDevice;
import dev.groundwork.kernels.cuda.EntryPoint;
import dev.groundwork.kernels.cuda.KernelArgs;
import dev.groundwork.kernels.cuda.ReleasingResult;
import dev.groundwork.kernels.memory.DeviceBuffer;
import jcuda.driver.CUfunction;
import jcuda.driver.CUfunction_attribute;
import jcuda.driver.JCudaDriver;

import static dev.groundwork.kernels.cuda.DeviceTensors.addr;
import static dev.groundwork.kernels.cuda.DeviceTensors.allF32;
import static dev.groundwork.kernels.cuda.DeviceTensors.closeAll;
import static dev.groundwork.kernels.cuda.DeviceTensors.closeIfCopy;
import static dev.groundwork.kernels.cuda.DeviceTensors.requireCudaF32;
import static dev.groundwork.kernels.cuda.EntryPoint.Param.*;

/**
 * Host side of bilinear_relation.cu: VG-BERT's relation scores (spec 4.3)
 * scores[b,k,i,j] = z_bi . M_k . z_bj for objects z [B,O,S] and relation matrices M [K,S,S]
 * (normalised and dropped out by the caller), O and S up to {@value #MAX_DIM}, and the engine's
 * {@link BilinearRelation.Kernel} on CUDA ({@link #fused}). Matches {@code BilinearRelation.scores}
 * of the engine; no autograd. Deterministic: fixed-order sums, no
 * atomics; the reductions over K (for dz) and over B (for dM) are split into chunks, one block per
 * chunk, and the chunk partials are added in order by a second kernel.
 */
public final class BilinearRelationKernels {
    private BilinearRelationKernels() {}

    static final String FILE = "bilinear_relation";
    /** The largest O and S: each thread of a 256-thread block keeps up to 16 of the O*S or S*S sums (bilinear_tiles.cuh). */
    @CudaDefine("BR_MAX_DIM") public static final int MAX_DIM = 64;
    @CudaDefine("BR_THREADS") static final int THREADS = 256;
    private static final int DEFAULT_SHARED = 48 * 1024;
    private static final int MAX_GRID_Y = 65535;

    static final EntryPoint FORWARD = EntryPoint.of(FILE, "gw_bilinear_fwd", PTR, PTR, I32, I32, I32, I32, PTR);
    static final EntryPoint BACKWARD_OBJECTS = EntryPoint.of(FILE, "gw_bilinear_bwd_objects", PTR, PTR, PTR, I32, I32, I32, I32, I32, PTR);
    static final EntryPoint BACKWARD_RELATIONS = EntryPoint.of(FILE, "gw_bilinear_bwd_relations", PTR, PTR, I32, I32, I32, I32, I32, PTR);
    static final EntryPoint SUM_PARTIALS = EntryPoint.of(FILE, "gw_bilinear_sum_partials", PTR, I32, I64, PTR);

    /** scores [B,K,O,O] (the caller's). */
    public static Tensor forward(CudaDevice dev, Tensor objects, Tensor relations) {
        int[] dims = check(dev, objects, relations);
        int b = dims[0], o = dims[1], s = dims[2], k = dims[3];
        Tensor out = dev.empty(DType.F32, b, k, o, o);
        if (out.numel() == 0) return out;
        Tensor z = dev.dense(objects), m = dev.dense(relations);
        try {
            int shared = (2 * o + s) * (s | 1) * 4;
            launch(dev, FORWARD.args().ptr(addr(z)).ptr(addr(m)).i32(b).i32(k).i32(o).i32(s).ptr(addr(out)), k, b, shared);
            return out;
        } catch (RuntimeException | Error e) {
            out.close();
            throw e;
        } finally {
            closeIfCopy(z, objects);
            closeIfCopy(m, relations);
        }
    }

    /** {dObjects [B,O,S], dRelations [K,S,S]} for dScores [B,K,O,O]; either may be skipped (null). */
    public static Tensor[] backward(CudaDevice dev, Tensor objects, Tensor relations, Tensor dScores,
                                    boolean objectsGrad, boolean relationsGrad) {
        int[] dims = check(dev, objects, relations);
        int b = dims[0], o = dims[1], s = dims[2], k = dims[3];
        if (dScores == null || dScores.dim() != 4 || dScores.size(0) != b || dScores.size(1) != k || dScores.size(2) != o || dScores.size(3) != o)
            throw new IllegalArgumentException("bilinear_relation backward: dScores " + (dScores == null ? "null" : Shape.str(dScores.shape()))
                    + " must be [" + b + "," + k + "," + o + "," + o + "]");
        requireCudaF32(dev, "bilinear_relation backward", "dScores", dScores);
        Tensor z = dev.dense(objects), m = dev.dense(relations), g = dev.dense(dScores);
        Tensor dz = null, dm = null;
        try {
            if (objectsGrad) {
                dz = dev.empty(DType.F32, b, o, s);
                objectsGrad(dev, z, m, g, dz, b, o, s, k);
            }
            if (relationsGrad) {
                dm = dev.empty(DType.F32, k, s, s);
                relationsGrad(dev, z, g, dm, b, o, s, k);
            }
            return new Tensor[]{dz, dm};
        } catch (RuntimeException | Error e) {
            closeAll(dz, dm);
            throw e;
        } finally {
            closeIfCopy(z, objects);
            closeIfCopy(m, relations);
            closeIfCopy(g, dScores);
        }
    }

    private static void objectsGrad(CudaDevice dev, Tensor z, Tensor m, Tensor g, Tensor dz, int b, int o, int s, int k) {
        long n = (long) b * o * s;
        if (n == 0) return;
        if (k == 0) { dev.tensors().zero(addr(dz), n * 4, "bilinear dObjects"); return; }
        int[] plan = chunks(b, k, targetBlocks(dev));
        int per = plan[0], count = plan[1];
        int ldS = s | 1, ldO = o | 1;
        int shared = (3 * o * ldS + Math.max(o * ldO, s * ldS)) * 4;
        try (DeviceBuffer partial = count > 1 ? dev.scratch(count * n * 4) : null) {
            long out = partial != null ? partial.address() : addr(dz);
            launch(dev, BACKWARD_OBJECTS.args().ptr(addr(z)).ptr(addr(m)).ptr(addr(g)).i32(b).i32(k).i32(o).i32(s).i32(per).ptr(out),
                    b, count, shared);
            if (partial != null) sumPartials(dev, partial, count, n, dz);
        }
    }

    private static void relationsGrad(CudaDevice dev, Tensor z, Tensor g, Tensor dm, int b, int o, int s, int k) {
        long n = (long) k * s * s;
        if (n == 0) return;
        if (b == 0 || o == 0) { dev.tensors().zero(addr(dm), n * 4, "bilinear dRelations"); return; }
        int[] plan = chunks(k, b, targetBlocks(dev));
        int per = plan[0], count = plan[1];
        int ldS = s | 1, ldO = o | 1;
        int shared = (2 * o * ldS + o * ldO) * 4;
        try (DeviceBuffer partial = count > 1 ? dev.scratch(count * n * 4) : null) {
            long out = partial != null ? partial.address() : addr(dm);
            launch(dev, BACKWARD_RELATIONS.args().ptr(addr(z)).ptr(addr(g)).i32(b).i32(k).i32(o).i32(s).i32(per).ptr(out),
                    k, count, shared);
            if (partial != null) sumPartials(dev, partial, count, n, dm);
        }
    }

    private static void sumPartials(CudaDevice dev, DeviceBuffer partial, int count, long n, Tensor out) {
        dev.launcher().elementwise(SUM_PARTIALS.args().ptr(partial.address()).i32(count).i64(n).ptr(addr(out)), n);
    }

    /** A few waves of blocks on this device. */
    private static int targetBlocks(CudaDevice dev) { return 4 * dev.context().multiprocessors(); }

    /**
     * Splits {@code items} (summed over) into chunks so that {@code other * chunks} reaches about
     * {@code target} blocks: {per chunk, chunk count}, count * per >= items > (count - 1) * per.
     */
    static int[] chunks(int other, int items, int target) {
        if (items <= 0) return new int[]{1, 0};
        int want = (int) Math.max(1, Math.min(items, (target + Math.max(other, 1) - 1L) / Math.max(other, 1)));
        int per = (items + want - 1) / want;
        int count = (items + per - 1) / per;
        return new int[]{per, count};   // count <= want <= max(1, target)
    }

    private static void launch(CudaDevice dev, KernelArgs args, int gx, int gy, int shared) {
        if (shared > DEFAULT_SHARED) {
            // Above 48 KB of dynamic shared memory a kernel must opt in (sm_80: 163 KB, sm_90: 227 KB).
            CUfunction f = dev.launcher().function(args.entry());
            dev.context().makeCurrent();
            Cu.check(JCudaDriver.cuFuncSetAttribute(f, CUfunction_attribute.CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, shared),
                    "cuFuncSetAttribute(" + args.entry().file() + ".cu " + args.entry().name() + ", max dynamic shared " + shared + " bytes)");
        }
        dev.launcher().launch(args, gx, gy, 1, THREADS, 1, 1, shared);
    }

    /** {B, O, S, K}; shape and dtype errors name the offending shape, before any device use. */
    static int[] check(CudaDevice dev, Tensor objects, Tensor relations) {
        if (objects == null || relations == null) throw new IllegalArgumentException("bilinear_relation: objects and relations are required");
        if (objects.dim() != 3)
            throw new IllegalArgumentException("bilinear_relation: objects " + Shape.str(objects.shape()) + " must be [B,O,S]");
        if (relations.dim() != 3)
            throw new IllegalArgumentException("bilinear_relation: relations " + Shape.str(relations.shape()) + " must be [K,S,S]");
        int b = objects.size(0), o = objects.size(1), s = objects.size(2), k = relations.size(0);
        if (relations.size(1) != s || relations.size(2) != s)
            throw new IllegalArgumentException("bilinear_relation: relations " + Shape.str(relations.shape()) + " must be [K," + s + "," + s
                    + "] for objects " + Shape.str(objects.shape()));
        if (s < 1 || s > MAX_DIM || o > MAX_DIM)
            throw new IllegalArgumentException("bilinear_relation: objects " + Shape.str(objects.shape()) + " needs 1 <= S <= " + MAX_DIM
                    + " and O <= " + MAX_DIM + " (the fused kernels' limit)");
        if (b > MAX_GRID_Y) throw new IllegalArgumentException("bilinear_relation: B = " + b + " exceeds " + MAX_GRID_Y);
        requireCudaF32(dev, "bilinear_relation", "objects", objects);
        requireCudaF32(dev, "bilinear_relation", "relations", relations);
        return new int[]{b, o, s, k};
    }

    // ------------------------------------------------------------------ the engine's op on these kernels

    /** {@link BilinearRelation.Kernel} on dev: null (compose) for other dtypes or O, S above {@link #MAX_DIM}. */
    public static BilinearRelation.Kernel fused(CudaDevice dev) {
        return (objects, relations, forBackward) -> {
            if (!allF32(objects, relations) || objects.size(1) > MAX_DIM || objects.size(2) > MAX_DIM) return null;
            Tensor out = forward(dev, objects, relations);
            return ReleasingResult.of(out, g -> backward(dev, objects, relations, g, objects.requiresGrad(), relations.requiresGrad()));
        };
    }
}
