package dev.groundwork.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Pool2dKernelsTest {

    /** n, c, h, w, kh, kw, sh, sw, ph, pw. */
    private static final int[][] SHAPES = {
        {2, 3, 8, 8, 2, 2, 2, 2, 0, 0},
        {1, 2, 7, 9, 3, 3, 2, 2, 1, 1},
        {2, 2, 6, 5, 3, 2, 1, 2, 1, 1},
        {1, 3, 11, 10, 5, 4, 3, 2, 2, 2},
        {3, 1, 5, 5, 1, 1, 1, 1, 0, 0},
    };

    /** PyTorch's pooling output size computed independently with floating-point floor/ceil. */
    private static int refOut(int in, int k, int s, int p, boolean ceil) {
        double q = (in + 2.0 * p - k) / s;
        int o = (int) (ceil ? Math.ceil(q) : Math.floor(q)) + 1;
        if (ceil && (o - 1) * s >= in + p) {
            o--;
        }
        return o;
    }

    @Test
    void maxPoolForwardBackward() {
        SplittableRandom rng = new SplittableRandom(1);
        for (boolean ceil : new boolean[] {false, true}) {
            for (int[] s : SHAPES) {
                int n = s[0], c = s[1], h = s[2], w = s[3], kh = s[4], kw = s[5], sh = s[6], sw = s[7], ph = s[8], pw = s[9];
                int oh = refOut(h, kh, sh, ph, ceil), ow = refOut(w, kw, sw, pw, ceil);
                assertEquals(oh, Pool2dKernels.outSize(h, kh, sh, ph, ceil));
                // Few distinct values so windows contain ties: the first maximum must win.
                float[] x = new float[n * c * h * w];
                for (int i = 0; i < x.length; i++) {
                    x[i] = rng.nextInt(1, 5) * (rng.nextBoolean() ? 1f : -1f);
                }
                float[] out = new float[n * c * oh * ow];
                int[] arg = new int[out.length];
                Pool2dKernels.maxPool2dForward(x, n, c, h, w, kh, kw, sh, sw, ph, pw, ceil, out, arg);
                float[] go = GemmTest.random(rng, out.length);
                double[] gx = new double[x.length];
                for (int pl = 0; pl < n * c; pl++) {
                    for (int i = 0; i < oh; i++) {
                        for (int j = 0; j < ow; j++) {
                            float best = Float.NEGATIVE_INFINITY;
                            int idx = -1;
                            for (int y = i * sh - ph; y < i * sh - ph + kh; y++) {
                                for (int xx = j * sw - pw; xx < j * sw - pw + kw; xx++) {
                                    if (y < 0 || y >= h || xx < 0 || xx >= w) continue;
                                    float v = x[(pl * h + y) * w + xx];
                                    if (idx < 0 || v > best) {
                                        best = v;
                                        idx = y * w + xx;
                                    }
                                }
                            }
                            int o = (pl * oh + i) * ow + j;
                            assertEquals(best, out[o], 0f);
                            assertEquals(idx, arg[o], "argmax at " + o);
                            gx[pl * h * w + idx] += go[o];
                        }
                    }
                }
                float[] gotGx = GemmTest.random(rng, x.length);
                Pool2dKernels.maxPool2dBackward(go, arg, n, c, h, w, oh, ow, gotGx);
                for (int i = 0; i < gx.length; i++) {
                    assertEquals(gx[i], gotGx[i], 1e-5);
                }
            }
        }
    }

    @Test
    void maxPoolPropagatesNaN() {
        float[] x = {1f, 5f, Float.NaN, 2f, 3f, 4f, 0.5f, 7f, 6f};
        float[] out = new float[4];
        int[] arg = new int[4];
        Pool2dKernels.maxPool2dForward(x, 1, 1, 3, 3, 2, 2, 1, 1, 0, 0, false, out, arg);
        assertEquals(5f, out[0]);
        assertEquals(1, arg[0]);
        assertTrue(Float.isNaN(out[1]));
        assertEquals(2, arg[1]);
    }

    @Test
    void avgPoolCountIncludePad() {
        SplittableRandom rng = new SplittableRandom(2);
        for (boolean ceil : new boolean[] {false, true}) {
            for (int[] s : SHAPES) {
                int n = s[0], c = s[1], h = s[2], w = s[3], kh = s[4], kw = s[5], sh = s[6], sw = s[7], ph = s[8], pw = s[9];
                int oh = refOut(h, kh, sh, ph, ceil), ow = refOut(w, kw, sw, pw, ceil);
                float[] x = GemmTest.random(rng, n * c * h * w);
                float[] go = GemmTest.random(rng, n * c * oh * ow);
                double[] out = new double[go.length], gx = new double[x.length];
                for (int pl = 0; pl < n * c; pl++) {
                    for (int i = 0; i < oh; i++) {
                        for (int j = 0; j < ow; j++) {
                            // Divisor: window positions inside the padded extent [-p, in + p).
                            int cnt = 0;
                            double sum = 0;
                            for (int y = i * sh - ph; y < i * sh - ph + kh; y++) {
                                for (int xx = j * sw - pw; xx < j * sw - pw + kw; xx++) {
                                    if (y < h + ph && xx < w + pw) cnt++;
                                    if (y >= 0 && y < h && xx >= 0 && xx < w) sum += x[(pl * h + y) * w + xx];
                                }
                            }
                            int o = (pl * oh + i) * ow + j;
                            out[o] = sum / cnt;
                            for (int y = Math.max(0, i * sh - ph); y < Math.min(h, i * sh - ph + kh); y++) {
                                for (int xx = Math.max(0, j * sw - pw); xx < Math.min(w, j * sw - pw + kw); xx++) {
                                    gx[(pl * h + y) * w + xx] += go[o] / cnt;
                                }
                            }
                        }
                    }
                }
                float[] gotOut = new float[out.length], gotGx = GemmTest.random(rng, x.length);
                Pool2dKernels.avgPool2dForward(x, n, c, h, w, kh, kw, sh, sw, ph, pw, ceil, gotOut);
                Pool2dKernels.avgPool2dBackward(go, n, c, h, w, kh, kw, sh, sw, ph, pw, ceil, gotGx);
                for (int i = 0; i < out.length; i++) assertEquals(out[i], gotOut[i], 1e-5);
                for (int i = 0; i < gx.length; i++) assertEquals(gx[i], gotGx[i], 1e-5);
            }
        }
    }

    @Test
    void adaptiveAvgPool() {
        SplittableRandom rng = new SplittableRandom(3);
        int[][] shapes = {{2, 3, 7, 9, 3, 4}, {1, 2, 5, 5, 5, 5}, {1, 2, 4, 6, 7, 8}, {2, 1, 10, 3, 1, 1}, {1, 1, 13, 13, 7, 7}};
        for (int[] s : shapes) {
            int n = s[0], c = s[1], h = s[2], w = s[3], oh = s[4], ow = s[5];
            float[] x = GemmTest.random(rng, n * c * h * w);
            float[] go = GemmTest.random(rng, n * c * oh * ow);
            double[] out = new double[go.length], gx = new double[x.length];
            for (int pl = 0; pl < n * c; pl++) {
                for (int i = 0; i < oh; i++) {
                    int h0 = (int) Math.floor((double) i * h / oh), h1 = (int) Math.ceil((double) (i + 1) * h / oh);
                    for (int j = 0; j < ow; j++) {
                        int w0 = (int) Math.floor((double) j * w / ow), w1 = (int) Math.ceil((double) (j + 1) * w / ow);
                        int o = (pl * oh + i) * ow + j, cnt = (h1 - h0) * (w1 - w0);
                        for (int y = h0; y < h1; y++) {
                            for (int xx = w0; xx < w1; xx++) {
                                out[o] += x[(pl * h + y) * w + xx] / (double) cnt;
                                gx[(pl * h + y) * w + xx] += go[o] / (double) cnt;
                            }
                        }
                    }
                }
            }
            float[] gotOut = new float[out.length], gotGx = GemmTest.random(rng, x.length);
            Pool2dKernels.adaptiveAvgPool2dForward(x, n, c, h, w, oh, ow, gotOut);
            Pool2dKernels.adaptiveAvgPool2dBackward(go, n, c, h, w, oh, ow, gotGx);
            for (int i = 0; i < out.length; i++) assertEquals(out[i], gotOut[i], 1e-5);
            for (int i = 0; i < gx.length; i++) assertEquals(gx[i], gotGx[i], 1e-5);
        }
    }
}
