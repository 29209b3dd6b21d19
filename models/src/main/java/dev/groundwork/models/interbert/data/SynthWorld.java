package dev.groundwork.models.interbert.data;

import dev.groundwork.engine.random.Generator;
import dev.groundwork.models.data.DataLoader;

import java.util.ArrayList;
import java.util.List;

/**
 * The learnable structure behind {@code gw data synth --kind interbert}: each image holds 2–6 objects,
 * each with a class, a colour and a size and a box placed by them; a region's feature is a noisy code
 * of the three (fixed random codebooks of the seed, plus Gaussian noise, clipped at 0 like pooled CNN
 * features), its {@code cls_prob} a noisy softmax peaked at its class. Captions name one to three
 * objects and, with two or more, the spatial relation of the first two. Everything is a function of
 * (seed, image number).
 */
final class SynthWorld {
    static final List<String> CLASSES = List.of("person", "dog", "cat", "car", "bike", "ball", "table", "chair", "tree", "horse", "bird", "boat");
    static final List<String> COLOURS = List.of("red", "green", "blue", "yellow", "white", "black");
    static final List<String> SIZES = List.of("small", "large");
    static final int WIDTH = 640, HEIGHT = 480;

    record Obj(int cls, int colour, int size, float x1, float y1, float x2, float y2) {
        String phrase() { return SIZES.get(size) + " " + COLOURS.get(colour) + " " + CLASSES.get(cls); }

        float cx() { return (x1 + x2) / 2; }

        float cy() { return (y1 + y2) / 2; }
    }

    record Image(int number, List<Obj> objects, List<String> captions) {}

    private final long seed;
    private final int featureSize, classes;
    private final float[][] classCode, colourCode, sizeCode;

    SynthWorld(long seed, int featureSize, int classes) {
        if (classes < CLASSES.size() + 1) throw new IllegalArgumentException("need at least " + (CLASSES.size() + 1) + " detector classes");
        if (featureSize < 8) throw new IllegalArgumentException("need a feature size of at least 8");
        this.seed = seed;
        this.featureSize = featureSize;
        this.classes = classes;
        Generator g = new Generator(seed ^ 0xC0DEB00CL);
        classCode = codes(CLASSES.size(), g);
        colourCode = codes(COLOURS.size(), g);
        sizeCode = codes(SIZES.size(), g);
    }

    private float[][] codes(int n, Generator g) {
        float[][] c = new float[n][featureSize];
        for (float[] row : c) for (int j = 0; j < featureSize; j++) row[j] = g.nextDouble() < 0.25 ? (float) (2 * g.nextDouble()) : 0f;
        return c;
    }

    /** Detector class of an object class: 1.. (0 is the background, as in Visual Genome's 1601). */
    int detectorClass(int cls) { return 1 + cls; }

    Image image(int number) {
        Generator g = DataLoader.itemGenerator(seed, 0, number);
        int n = 2 + g.nextInt(5);
        List<Obj> objs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int size = g.nextInt(2);
            float w = (float) ((size == 0 ? 0.08 : 0.25) + 0.1 * g.nextDouble()) * WIDTH, h = (float) ((size == 0 ? 0.1 : 0.3) + 0.1 * g.nextDouble()) * HEIGHT;
            float x = (float) g.nextDouble() * (WIDTH - w), y = (float) g.nextDouble() * (HEIGHT - h);
            objs.add(new Obj(g.nextInt(CLASSES.size()), g.nextInt(COLOURS.size()), size, x, y, x + w, y + h));
        }
        List<String> caps = new ArrayList<>();
        for (int k = 0; k < 5; k++) caps.add(caption(objs, g));
        return new Image(number, List.copyOf(objs), List.copyOf(caps));
    }

    static String relation(Obj a, Obj b) {
        float dx = b.cx() - a.cx(), dy = b.cy() - a.cy();
        if (Math.abs(dx) >= Math.abs(dy)) return dx > 0 ? "to the left of" : "to the right of";
        return dy > 0 ? "above" : "below";
    }

    private static String caption(List<Obj> o, Generator g) {
        int k = 1 + g.nextInt(Math.min(3, o.size()));
        int a = g.nextInt(o.size()), b = (a + 1 + g.nextInt(o.size() - 1)) % o.size();
        if (k == 1) return "a " + o.get(a).phrase() + ".";
        String s = "a " + o.get(a).phrase() + " " + relation(o.get(a), o.get(b)) + " a " + o.get(b).phrase();
        if (k == 3) {
            int c = g.nextInt(o.size());
            s += " and a " + o.get(c).phrase();
        }
        return s + ".";
    }

    /** Features [objects + extra, F]: each object's code plus noise; {@code extra} clutter regions of noise alone. */
    float[] features(Image im, int extra, Generator g) {
        int n = im.objects().size() + extra;
        float[] f = new float[n * featureSize];
        for (int i = 0; i < n; i++) {
            Obj o = i < im.objects().size() ? im.objects().get(i) : null;
            for (int j = 0; j < featureSize; j++) {
                double v = 0.3 * g.nextDouble() + 0.2 * gaussian(g);
                if (o != null) v += classCode[o.cls()][j] + 0.7 * colourCode[o.colour()][j] + 0.5 * sizeCode[o.size()][j];
                f[i * featureSize + j] = (float) Math.max(0, v);
            }
        }
        return f;
    }

    /** A noisy class distribution per object row: softmax(4·onehot + noise) over the C classes. */
    float[] clsProb(Image im, Generator g) {
        int n = im.objects().size();
        float[] p = new float[n * classes];
        double[] z = new double[classes];
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int c = 0; c < classes; c++) {
                z[c] = 0.5 * gaussian(g) + (c == detectorClass(im.objects().get(i).cls()) ? 6 : 0);
                max = Math.max(max, z[c]);
            }
            for (int c = 0; c < classes; c++) sum += z[c] = Math.exp(z[c] - max);
            for (int c = 0; c < classes; c++) p[i * classes + c] = (float) (z[c] / sum);
        }
        return p;
    }

    /** Pixel boxes [objects + extra, 4]; clutter boxes are random. */
    static float[] boxes(Image im, int extra, Generator g) {
        int n = im.objects().size();
        float[] b = new float[(n + extra) * 4];
        for (int i = 0; i < n + extra; i++) {
            Obj o = i < n ? im.objects().get(i) : null;
            float x = (float) g.nextDouble() * WIDTH * 0.8f, y = (float) g.nextDouble() * HEIGHT * 0.8f;
            b[4 * i] = o != null ? o.x1() : x;
            b[4 * i + 1] = o != null ? o.y1() : y;
            b[4 * i + 2] = o != null ? o.x2() : x + WIDTH * 0.1f;
            b[4 * i + 3] = o != null ? o.y2() : y + HEIGHT * 0.1f;
        }
        return b;
    }

    private static double gaussian(Generator g) {
        return Math.sqrt(-2 * Math.log(1 - g.nextDouble())) * Math.cos(2 * Math.PI * g.nextDouble());
    }

    long seed() { return seed; }

    int featureSize() { return featureSize; }

    int classes() { return classes; }
}
