package dev.groundwork.kernels.ops;

import dev.groundwork.engine.ops.vgbert.MatchmapSimilarity;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Shape;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.cuda.CudaDefine;
import dev.groundwork.kernels.cuda.CudaDevice;
import dev.groundwork.kernels.cuda.EntryPoint;
import dev.groundwork.kernels.cuda.ReleasingResult;
import dev.groundwork.kernels.memory.DeviceBuffer;

import static dev.groundwork.kernels.cuda.DeviceTensors.addr;
import static dev.groundwork.kernels.cuda.DeviceTensors.allF32;
import static dev.groundwork.kernels.cuda.DeviceTensors.closeAll;
import static dev.groundwork.kernels.cuda.DeviceTensors.closeIfCopy;
import static dev.groundwork.kernels.cuda.DeviceTensors.requireCuda;
import static dev.groundwork.kernels.cuda.DeviceTensors.requireCudaF32;
import static dev.groundwork.kernels.cuda.EntryPoint.Param.*;
import static dev.groundwork.kernels.cuda.RowGeometry.lineThreads;

/**
 * Host side of matchmap.cu: VG-BERT's matchmap similarity (spec 3.2) without the B x B x T x P
 * matchmap, and the engine's {@link MatchmapSimilarity.Kernel} on CUDA ({@link #fused}), matching
 * {@code MatchmapSimilarity.similarity} of the engine:
 * sim[i,c] = (1/n_c) sum_{t < n_c} max_p <image_i[:,p], language_c[t]>, n_c = max(1, min(nwords_c, T)).
 *
 * <p>Forward keeps, per image and kept (c,t) row, the winning cell (int32) for backward: O(B^2 T)
 * device memory. The stage-2 loss is {@link #forward} then {@link ContrastiveKernels#forward}; its
 * backward is {@link ContrastiveKernels#backward} then {@link #backward}. With the device's TF32
 * matchmap switch on, the max runs on tensor cores ({@link MatchmapTf32Kernels}). No autograd, no atomics
 * (the backward is deterministic).
 */
public final class MatchmapKernels {
    private MatchmapKernels() {}

    static final String FILE = "matchmap";
    /** Kept rows per block of the max kernel, its threads, and the image-gradient kernel's threads (matchmap_tiles.cuh). */
    @CudaDefine("MM_RT") static final int ROW_TILE = 64;
    @CudaDefine("MM_THREADS") static final int THREADS = 256;
    @CudaDefine("MM_BWD_THREADS") static final int BWD_THREADS = 256;

    static final EntryPoint ROWS = EntryPoint.of(FILE, "gw_matchmap_rows", PTR, I32, I32, PTR, PTR);
    /** image, language, rowmap, offsets, B, D, P, rcap, smax, sarg (matchmap_tf32.cu's max takes the same). */
    static final EntryPoint MAX = EntryPoint.of(FILE, "gw_matchmap_max", PTR, PTR, PTR, PTR, I32, I32, I32, I32, PTR, PTR);
    static final EntryPoint MEAN = EntryPoint.of(FILE, "gw_matchmap_mean", PTR, PTR, PTR, I32, I32, I32, PTR);
    static final EntryPoint BACKWARD_IMAGE = EntryPoint.of(FILE, "gw_matchmap_bwd_image", PTR, PTR, PTR, PTR, PTR, PTR, I32, I32, I32, I32, I32, PTR);
    static final EntryPoint BACKWARD_LANGUAGE = EntryPoint.of(FILE, "gw_matchmap_bwd_language",
            PTR, PTR, PTR, PTR, PTR, PTR, I32, I32, I32, I32, I32, I32, I32, I32, PTR);
    /**
     * The backward keeps one image cell's D-vector gradient in shared memory: 4*D bytes next to
     * 2 KB of static lists, within the default 48 KB.
     */
    public static final int MAX_D = 11 * 1024;
    private static final int MAX_GRID_Y = 65535;

    /** What {@link #backward} needs; {@link #sim()} is the caller's, the rest is released by {@link #close()}. */
    public static final class Saved implements AutoCloseable {
        private final Tensor sim;
        private final Tensor image;      // [B,D,(H,W)] contiguous, own reference
        private final Tensor language;   // [B,T,D] contiguous, own reference
        private final Tensor nwords;     // [B] int64, own reference
        private final DeviceBuffer offsets, rowmap, argmax;
        private final int b, d, p, t;

        private Saved(Tensor sim, Tensor image, Tensor language, Tensor nwords, DeviceBuffer offsets, DeviceBuffer rowmap,
                      DeviceBuffer argmax, int b, int d, int p, int t) {
            this.sim = sim;
            this.image = image;
            this.language = language;
            this.nwords = nwords;
            this.offsets = offsets;
            this.rowmap = rowmap;
            this.argmax = argmax;
            this.b = b;
            this.d = d;
            this.p = p;
            this.t = t;
        }

        /** sim [B,B] (the caller's to close). */
        public Tensor sim() { return sim; }

        @Override public void close() { closeAll(image, language, nwords, offsets, rowmap, argmax); }
    }

    /**
     * image [B,D,H,W] (or [B,D,P]), language [B,T,D] (float32), nwords [B] (int64), all on dev's device.
     * Returns sim with the backward state.
     */
    public static Saved forward(CudaDevice dev, Tensor image, Tensor language, Tensor nwords) {
        int[] dims = check(dev, image, language, nwords);
        int b = dims[0], d = dims[1], p = dims[2], t = dims[3];
        int rcap = b * t;
        Tensor img = null, lang = null, nw = null, sim = null;
        DeviceBuffer offsets = null, rowmap = null, argmax = null;
        try {
            img = dev.tensors().retainDense(image);
            lang = dev.tensors().retainDense(language);
            nw = dev.tensors().retainDense(nwords);
            offsets = dev.scratch((b + 1L) * 4);
            rowmap = dev.scratch((long) rcap * 4);
            argmax = dev.scratch((long) b * rcap * 4);
            sim = dev.empty(DType.F32, b, b);
            dev.launcher().launch(ROWS.args().ptr(addr(nw)).i32(b).i32(t).ptr(offsets.address()).ptr(rowmap.address()),
                    1, 1, 1, THREADS, 1, 1, 0);
            try (DeviceBuffer smax = dev.scratch((long) b * rcap * 4)) {
                // The max GEMM on TF32 tensor cores when the device says so (TF32 and its switch on).
                if (dev.matchmapTf32()) {
                    MatchmapTf32Kernels.max(dev, img, lang, rowmap, offsets, b, d, p, rcap, smax, argmax);
                } else {
                    dev.launcher().launch(MAX.args().ptr(addr(img)).ptr(addr(lang)).ptr(rowmap.address()).ptr(offsets.address())
                                    .i32(b).i32(d).i32(p).i32(rcap).ptr(smax.address()).ptr(argmax.address()),
                            (rcap + ROW_TILE - 1) / ROW_TILE, b, 1, THREADS, 1, 1, 0);
                }
                dev.launcher().elementwise(MEAN.args().ptr(smax.address()).ptr(offsets.address()).ptr(addr(nw)).i32(b).i32(t).i32(rcap)
                        .ptr(addr(sim)), (long) b * b);
            }
            return new Saved(sim, img, lang, nw, offsets, rowmap, argmax, b, d, p, t);
        } catch (RuntimeException | Error e) {
            closeAll(sim, img, lang, nw, offsets, rowmap, argmax);
            throw e;
        }
    }

    /**
     * {dImage (image's shape), dLanguage [B,T,D]} for the upstream gradient dsim [B,B]: dS[i,c,t] =
     * dsim[i,c]/n_c on kept words, routed through each (i,c,t)'s winning cell.
     */
    public static Tensor[] backward(CudaDevice dev, Saved s, Tensor dsim) {
        return backward(dev, s, dsim, s == null ? 1 : chunkImages(s.p, s.d, s.b));
    }

    /** {@link #backward(CudaDevice, Saved, Tensor)} with the transposed image copied chunk images at a time. */
    static Tensor[] backward(CudaDevice dev, Saved s, Tensor dsim, int chunk) {
        if (s == null) throw new IllegalArgumentException("matchmap backward: no forward state");
        if (dsim == null || dsim.dim() != 2 || dsim.size(0) != s.b || dsim.size(1) != s.b)
            throw new IllegalArgumentException("matchmap backward: dsim " + (dsim == null ? "null" : Shape.str(dsim.shape()))
                    + " must be [" + s.b + "," + s.b + "]");
        requireCudaF32(dev, "matchmap backward", "dsim", dsim);
        int b = s.b, d = s.d, p = s.p, t = s.t, rcap = b * t;
        Tensor g = dev.dense(dsim);
        Tensor dImage = null, dLanguage = null, imageT = null;
        try {
            dImage = dev.empty(DType.F32, s.image.shape());
            dLanguage = dev.empty(DType.F32, s.language.shape());
            dev.tensors().zero(addr(dLanguage), (long) dLanguage.numel() * 4, "matchmap dLanguage");
            dev.launcher().launch(BACKWARD_IMAGE.args().ptr(addr(s.language)).ptr(addr(g)).ptr(s.argmax.address()).ptr(s.rowmap.address())
                            .ptr(s.offsets.address()).ptr(addr(s.nwords)).i32(b).i32(t).i32(d).i32(p).i32(rcap).ptr(addr(dImage)),
                    p, b, 1, BWD_THREADS, 1, 1, d * 4);
            // image as [B,P,D], so the language gradient gathers whole D-vectors: a chunk of images at a
            // time, each launch continuing the previous one's sums (the same order as one pass).
            if (chunk < 1) throw new IllegalArgumentException("matchmap backward: image chunk " + chunk + " < 1");
            chunk = Math.min(chunk, b);
            imageT = dev.empty(DType.F32, chunk, p, d);
            for (int i0 = 0; i0 < b; i0 += chunk) {
                int n = Math.min(chunk, b - i0);
                try (Tensor v = s.image.asStrided(new int[]{n, p, d}, new int[]{d * p, 1, p}, s.image.offset() + i0 * d * p);
                     Tensor dst = imageT.asStrided(new int[]{n, p, d}, new int[]{p * d, d, 1}, imageT.offset())) {
                    dev.copy(v, dst);
                }
                dev.launcher().launch(BACKWARD_LANGUAGE.args().ptr(addr(imageT)).ptr(addr(g)).ptr(s.argmax.address()).ptr(s.rowmap.address())
                                .ptr(s.offsets.address()).ptr(addr(s.nwords)).i32(b).i32(t).i32(d).i32(p).i32(rcap)
                                .i32(i0).i32(i0 + n).i32(i0 > 0 ? 1 : 0).ptr(addr(dLanguage)),
                        rcap, 1, 1, lineThreads(d), 1, 1, 0);
            }
            return new Tensor[]{dImage, dLanguage};
        } catch (RuntimeException | Error e) {
            closeAll(dImage, dLanguage);
            throw e;
        } finally {
            closeAll(imageT);
            closeIfCopy(g, dsim);
        }
    }

    /** Largest transposed-image chunk for the language gradient, in bytes. */
    static final long IMAGE_CHUNK_BYTES = 16L << 20;

    /** Images per chunk of the transposed copy: as many as fit IMAGE_CHUNK_BYTES, at least 1, at most b. */
    static int chunkImages(int p, int d, int b) {
        long per = (long) p * d * Float.BYTES;
        return (int) Math.max(1, Math.min(b, IMAGE_CHUNK_BYTES / Math.max(1, per)));
    }

    /** {B, D, P, T}; shape and dtype errors name the offending shape, before any device use. */
    static int[] check(CudaDevice dev, Tensor image, Tensor language, Tensor nwords) {
        if (image == null || language == null || nwords == null)
            throw new IllegalArgumentException("matchmap: image, language and nwords are required");
        if (image.dim() != 3 && image.dim() != 4)
            throw new IllegalArgumentException("matchmap: image " + Shape.str(image.shape()) + " must be [B,D,H,W] or [B,D,P]");
        if (language.dim() != 3)
            throw new IllegalArgumentException("matchmap: language " + Shape.str(language.shape()) + " must be [B,T,D]");
        int b = image.size(0), d = image.size(1);
        int p = image.dim() == 4 ? image.size(2) * image.size(3) : image.size(2), t = language.size(1);
        if (language.size(0) != b || language.size(2) != d)
            throw new IllegalArgumentException("matchmap: language " + Shape.str(language.shape()) + " must be [" + b + ",T," + d
                    + "] for image " + Shape.str(image.shape()));
        if (nwords.dim() != 1 || nwords.size(0) != b)
            throw new IllegalArgumentException("matchmap: nwords " + Shape.str(nwords.shape()) + " must be [" + b + "]");
        if (nwords.dtype() != DType.I64) throw new IllegalArgumentException("matchmap: nwords must be I64, got " + nwords.dtype());
        if (b < 1 || d < 1 || p < 1 || t < 1)
            throw new IllegalArgumentException("matchmap: image " + Shape.str(image.shape()) + " and language " + Shape.str(language.shape())
                    + " need B, D, H*W and T of at least 1");
        if (d > MAX_D) throw new IllegalArgumentException("matchmap: D = " + d + " exceeds the kernels' limit of " + MAX_D);
        if (b > MAX_GRID_Y || (long) b * t * Math.max(b, 1) > Integer.MAX_VALUE)
            throw new IllegalArgumentException("matchmap: B = " + b + ", T = " + t + " is too large (B <= " + MAX_GRID_Y + ", B*B*T < 2^31)");
        requireCudaF32(dev, "matchmap", "image", image);
        requireCudaF32(dev, "matchmap", "language", language);
        requireCuda(dev, "matchmap", "nwords", nwords, DType.I64);
        return new int[]{b, d, p, t};
    }

    // ------------------------------------------------------------------ the engine's op on these kernels

    /** {@link MatchmapSimilarity.Kernel} on dev: null (compose) for other dtypes or D above {@link #MAX_D}. */
    public static MatchmapSimilarity.Kernel fused(CudaDevice dev) {
        return (image, language, nwords, forBackward) -> {
            if (!allF32(image, language) || nwords.dtype() != DType.I64 || image.size(1) > MAX_D) return null;
            Saved s = forward(dev, image, language, nwords);
            if (!forBackward) {
                Tensor sim = s.sim();
                s.close();
                return ReleasingResult.of(sim, g -> { throw new IllegalStateException("matchmap forward was run without saving for backward"); });
            }
            return ReleasingResult.of(s.sim(), g -> {
                Tensor[] d = backward(dev, s, g);
                return new Tensor[]{image.requiresGrad() ? d[0] : null, language.requiresGrad() ? d[1] : null, null};
            }, s);
        };
    }
}
