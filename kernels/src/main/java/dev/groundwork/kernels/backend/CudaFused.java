package dev.groundwork.kernels.backend;

import dev.groundwork.engine.backend.FusedKernels;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.fused.FusedAttention;
import dev.groundwork.kernels.fused.FusedAttentionBf16;
import dev.groundwork.kernels.fused.GlueKernels;
import dev.groundwork.kernels.memory.DeviceBuffer;
import dev.groundwork.kernels.fused.FusedBilinearRelation;
import dev.groundwork.kernels.fused.FusedContrastive;
import dev.groundwork.kernels.fused.FusedMatchmap;

import java.util.function.Function;

/**
 * The CUDA backend's {@link FusedKernels}: our fused attention, matchmap and bilinear-relation
 * kernels behind the engine's ops. Each returns null (the op then composes primitives) for what
 * its kernel does not cover; the saved state is released right after the backward pass.
 */
final class CudaFused {
    private CudaFused() {}

    private static boolean f32(Tensor... ts) {
        for (Tensor t : ts) if (t != null && t.dtype() != DType.F32) return false;
        return true;
    }

    /** A Result whose backward runs once and releases the saved state either way. */
    private static FusedKernels.Result result(Tensor out, Function<Tensor, Tensor[]> backward, AutoCloseable... saved) {
        return new FusedKernels.Result() {
            private boolean closed;

            @Override public Tensor output() { return out; }

            @Override public Tensor[] backward(Tensor g) {
                if (closed) throw new IllegalStateException("fused backward already ran (its saved state is released)");
                try {
                    return backward.apply(g);
                } finally {
                    close();
                }
            }

            @Override public void close() {
                if (closed) return;
                closed = true;
                for (AutoCloseable c : saved) {
                    try {
                        if (c != null) c.close();
                    } catch (Exception e) {
                        throw new IllegalStateException("releasing fused state failed", e);
                    }
                }
            }
        };
    }

    static FusedKernels.Result attention(CudaBackend be, Tensor q, Tensor k, Tensor v, Tensor mask, double maskValue,
                                         double dropout, long seed, long offset, boolean forBackward) {
        int d = q.size(3);
        if (!FusedAttention.supports(d) || v.size(3) != d || !f32(q, k, v)) return null;
        int b = q.size(0), h = q.size(1), tq = q.size(2);
        if (k.size(2) == 0) return null;
        FusedAttention.Drop drop = dropout > 0 ? new FusedAttention.Drop(1 - dropout, seed, offset) : FusedAttention.Drop.NONE;
        if (be.attentionBf16()) return attentionBf16(be, q, k, v, mask, maskValue, drop);
        Tensor out = be.empty(DType.F32, b, h, tq, d), lse = be.empty(DType.F32, b, h, tq);
        FusedAttention.forward(be, q, k, v, mask, maskValue, drop, out, lse);
        return result(out, g -> {
            Tensor dq = q.requiresGrad() ? be.empty(DType.F32, q.shape()) : null;
            Tensor dk = k.requiresGrad() ? be.empty(DType.F32, k.shape()) : null;
            Tensor dv = v.requiresGrad() ? be.empty(DType.F32, v.shape()) : null;
            FusedAttention.backward(be, q, k, v, mask, maskValue, drop, out, lse, g, dq, dk, dv);
            return new Tensor[]{dq, dk, dv, null};
        }, lse);
    }

    /**
     * The same on tensor cores: q, k, v rounded to bf16 once (kept for the backward with the bf16
     * output and the lse), the output widened to float32 for the graph, g rounded to bf16.
     */
    private static FusedKernels.Result attentionBf16(CudaBackend be, Tensor q, Tensor k, Tensor v, Tensor mask, double maskValue,
                                                     FusedAttention.Drop drop) {
        var s = new FusedAttentionBf16.Dims(q.size(0), q.size(1), q.size(2), k.size(2), q.size(3));
        DeviceBuffer qb = bf16(be, q), kb = bf16(be, k), vb = bf16(be, v), ob = be.scratch(2L * s.b() * s.h() * s.tq() * s.d());
        Tensor out = be.empty(DType.F32, s.b(), s.h(), s.tq(), s.d()), lse = be.empty(DType.F32, s.b(), s.h(), s.tq());
        FusedAttentionBf16.forward(be, s, qb, kb, vb, mask, maskValue, drop, ob, lse);
        GlueKernels.fromBf16(be, ob, out);
        return result(out, g -> {
            Tensor dq = q.requiresGrad() ? be.empty(DType.F32, q.shape()) : null;
            Tensor dk = k.requiresGrad() ? be.empty(DType.F32, k.shape()) : null;
            Tensor dv = v.requiresGrad() ? be.empty(DType.F32, v.shape()) : null;
            try (DeviceBuffer gb = bf16(be, g)) {
                FusedAttentionBf16.backward(be, s, qb, kb, vb, mask, maskValue, drop, ob, lse, gb, dq, dk, dv);
            }
            return new Tensor[]{dq, dk, dv, null};
        }, qb, kb, vb, ob, lse);
    }

    /** t (CUDA F32, any layout) rounded to bf16 into a new raw buffer. */
    private static DeviceBuffer bf16(CudaBackend be, Tensor t) {
        Tensor d = be.dense(t);
        try {
            return GlueKernels.toBf16(be, d);
        } finally {
            CudaBackend.closeIfCopy(d, t);
        }
    }

    static FusedKernels.Result matchmap(CudaBackend be, Tensor image, Tensor language, Tensor nwords, boolean forBackward) {
        if (!f32(image, language) || nwords.dtype() != DType.I64 || image.size(1) > FusedMatchmap.MAX_D) return null;
        FusedMatchmap.Saved s = FusedMatchmap.forward(be, image, language, nwords);
        if (!forBackward) {
            Tensor sim = s.sim();
            s.close();
            return result(sim, g -> { throw new IllegalStateException("matchmap forward was run without saving for backward"); });
        }
        return result(s.sim(), g -> {
            Tensor[] d = FusedMatchmap.backward(be, s, g);
            return new Tensor[]{image.requiresGrad() ? d[0] : null, language.requiresGrad() ? d[1] : null, null};
        }, s);
    }

    static FusedKernels.Result twoWay(CudaBackend be, Tensor sim, double sigma, boolean forBackward) {
        if (!f32(sim)) return null;
        FusedContrastive.TwoWay s = FusedContrastive.forward(be, sim, sigma);
        return result(s.losses(), g -> {
            Tensor gd = be.dense(g);
            try (Tensor g0 = gd.asStrided(new int[]{1}, new int[]{1}, gd.offset());
                 Tensor g1 = gd.asStrided(new int[]{1}, new int[]{1}, gd.offset() + gd.stride(0))) {
                return new Tensor[]{FusedContrastive.backward(be, s, g0, g1)};
            } finally {
                CudaBackend.closeIfCopy(gd, g);
            }
        }, s);
    }

    static FusedKernels.Result bilinear(CudaBackend be, Tensor objects, Tensor relations, boolean forBackward) {
        if (!f32(objects, relations) || objects.size(1) > FusedBilinearRelation.MAX_DIM || objects.size(2) > FusedBilinearRelation.MAX_DIM)
            return null;
        Tensor out = FusedBilinearRelation.forward(be, objects, relations);
        return result(out, g -> FusedBilinearRelation.backward(be, objects, relations, g, objects.requiresGrad(), relations.requiresGrad()));
    }
}
