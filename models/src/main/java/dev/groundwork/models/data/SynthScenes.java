package dev.groundwork.models.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.groundwork.engine.random.Generator;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Procedural scenes for demos and tests: 2–4 coloured shapes on a plain background, each in its own
 * cell of a 3×3 grid, so "left of" / "above" are unambiguous. Two objects are related only when they
 * share a row (left of / right of) or a column (above / below); diagonal pairs get no relation
 * rather than a guess. The second object always shares a row or column with the first, so every
 * image has at least one relation for its captions. Object classes are the shape type (1..4) and the
 * colour lives only in the phrase, so the auxiliary classifier must read shape, not colour. No two
 * objects in an image share colour and shape, so every phrase names one object.
 * Everything is a function of (seed, image number): each image uses its own generator, and
 * drawing has antialiasing off, so pixels do not depend on the platform's rasteriser settings.
 */
public final class SynthScenes {
    public static final List<String> SHAPES = List.of("circle", "square", "triangle", "diamond");
    public static final List<String> COLOURS = List.of("red", "green", "blue", "yellow", "purple", "orange", "white");
    private static final int[] RGB = {0xE02020, 0x20B020, 0x2040E0, 0xF0E020, 0x9030C0, 0xF08010, 0xF0F0F0};
    private static final int BACKGROUND = 0x404040, GRID = 3;

    /** Predicate ids: 0 = none. */
    public static final int NONE = 0, LEFT_OF = 1, RIGHT_OF = 2, ABOVE = 3, BELOW = 4;
    public static final List<String> PREDICATES = List.of("none", "left of", "right of", "above", "below");
    /** Label-space sizes for {@link VisualGenome}: object classes 0..4 (0 unused) and K = 5 predicates. */
    public static final int OBJECT_CLASSES = SHAPES.size() + 1, PREDICATE_COUNT = PREDICATES.size();

    public record Shape(int shape, int colour, int row, int col) {
        public String phrase() { return COLOURS.get(colour) + " " + SHAPES.get(shape); }

        /** object_class: the shape type, 1-based. */
        public int objectClass() { return shape + 1; }
    }

    public record Scene(List<Shape> shapes, int[][] relations, List<String> captions) {}

    /** Where and what {@link #write} produced. */
    public record Summary(Path dir, int images, int train, int val, int test) {}

    private SynthScenes() {}

    public static int relation(Shape a, Shape b) {
        if (a.row() == b.row() && a.col() != b.col()) return a.col() < b.col() ? LEFT_OF : RIGHT_OF;
        if (a.col() == b.col() && a.row() != b.row()) return a.row() < b.row() ? ABOVE : BELOW;
        return NONE;
    }

    public static Scene scene(long seed, int number) {
        Generator rng = DataLoader.itemGenerator(seed, 0, number);
        int n = 2 + rng.nextInt(3);
        List<Shape> shapes = new ArrayList<>();
        boolean[] cellUsed = new boolean[GRID * GRID];
        boolean[] kindUsed = new boolean[SHAPES.size() * COLOURS.size()];
        while (shapes.size() < n) {
            int cell;
            if (shapes.size() == 1) {
                // Same row or same column as the first object, so there is a relation to describe.
                Shape f = shapes.getFirst();
                boolean sameRow = rng.nextInt(2) == 0;
                int other = rng.nextInt(GRID - 1);
                int k = sameRow ? (other >= f.col() ? other + 1 : other) : (other >= f.row() ? other + 1 : other);
                cell = sameRow ? f.row() * GRID + k : k * GRID + f.col();
            } else {
                cell = rng.nextInt(GRID * GRID);
            }
            if (cellUsed[cell]) continue;
            int shape = rng.nextInt(SHAPES.size()), colour = rng.nextInt(COLOURS.size());
            if (kindUsed[shape * COLOURS.size() + colour]) continue;
            cellUsed[cell] = true;
            kindUsed[shape * COLOURS.size() + colour] = true;
            shapes.add(new Shape(shape, colour, cell / GRID, cell % GRID));
        }
        int[][] rel = new int[n][n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) if (i != j) rel[i][j] = relation(shapes.get(i), shapes.get(j));
        return new Scene(List.copyOf(shapes), rel, captions(shapes, rel, rng));
    }

    /** Five captions: the pair (0,1) both ways, a conjunction, another related pair, and a list of all. */
    private static List<String> captions(List<Shape> s, int[][] rel, Generator rng) {
        String a = s.get(0).phrase(), b = s.get(1).phrase();
        List<String> c = new ArrayList<>();
        c.add("a " + a + " " + PREDICATES.get(rel[0][1]) + " a " + b);
        c.add("a " + b + " " + PREDICATES.get(rel[1][0]) + " a " + a);
        c.add("a " + a + " and a " + b);
        List<int[]> pairs = new ArrayList<>();
        for (int i = 0; i < s.size(); i++)
            for (int j = 0; j < s.size(); j++)
                if (rel[i][j] != NONE && !(i <= 1 && j <= 1)) pairs.add(new int[]{i, j});
        int[] p = pairs.isEmpty() ? new int[]{1, 0} : pairs.get(rng.nextInt(pairs.size()));
        c.add("the " + s.get(p[0]).phrase() + " is " + PREDICATES.get(rel[p[0]][p[1]]) + " the " + s.get(p[1]).phrase());
        StringBuilder all = new StringBuilder(s.size() == 2 ? "two shapes: " : s.size() == 3 ? "three shapes: " : "four shapes: ");
        for (int i = s.size() - 1; i >= 0; i--) {
            all.append("a ").append(s.get(i).phrase());
            if (i > 1) all.append(", ");
            else if (i == 1) all.append(" and ");
        }
        c.add(all.toString());
        return List.copyOf(c);
    }

    public static BufferedImage draw(Scene scene, int size) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setColor(new Color(BACKGROUND));
        g.fillRect(0, 0, size, size);
        double cell = (double) size / GRID;
        for (Shape s : scene.shapes()) {
            int d = (int) Math.round(cell * 0.7);
            int x = (int) Math.round(s.col() * cell + (cell - d) / 2), y = (int) Math.round(s.row() * cell + (cell - d) / 2);
            g.setColor(new Color(RGB[s.colour()]));
            switch (SHAPES.get(s.shape())) {
                case "circle" -> g.fillOval(x, y, d, d);
                case "square" -> g.fillRect(x, y, d, d);
                case "triangle" -> g.fillPolygon(new int[]{x + d / 2, x + d, x}, new int[]{y, y + d, y + d}, 3);
                default -> g.fillPolygon(new int[]{x + d / 2, x + d, x + d / 2, x}, new int[]{y, y + d / 2, y + d, y + d / 2}, 4);
            }
        }
        g.dispose();
        return img;
    }

    /** The split of image {@code number}: 80% train, 10% val, 10% test, interleaved. */
    public static String split(int number) {
        int r = number % 10;
        return r == 8 ? "val" : r == 9 ? "test" : "train";
    }

    public static String name(int number) { return String.format("synth_%06d", number); }

    /**
     * Writes {@code images/NAME.png}, {@code captions/NAME.txt}, COCO_train.json / COCO_val.json
     * (spec §5.5), VG_train.json / VG_val.json (§4.1), and a Karpathy-style dataset_coco.json with
     * train/val/test splits. Base paths in the index files are relative to {@code out}.
     */
    public static Summary write(Path out, int images, int size, long seed) throws IOException {
        if (images < 1 || size < GRID * 4) throw new IllegalArgumentException("need images >= 1 and size >= " + GRID * 4);
        Files.createDirectories(out.resolve("images"));
        Files.createDirectories(out.resolve("captions"));
        List<Object> cocoTrain = new ArrayList<>(), cocoVal = new ArrayList<>(), vgTrain = new ArrayList<>(), vgVal = new ArrayList<>();
        List<Object> karpathy = new ArrayList<>();
        int[] counts = new int[3];
        for (int i = 0; i < images; i++) {
            Scene sc = scene(seed, i);
            String name = name(i), split = split(i);
            ImageIO.write(draw(sc, size), "png", out.resolve("images").resolve(name + ".png").toFile());
            Files.writeString(out.resolve("captions").resolve(name + ".txt"), String.join("\n", sc.captions()) + "\n");
            Map<String, Object> coco = new LinkedHashMap<>();
            coco.put("image", name + ".png");
            coco.put("caption", name + ".txt");
            Map<String, Object> vg = new LinkedHashMap<>();
            vg.put("image", name + ".png");
            vg.put("object_description", sc.shapes().stream().map(Shape::phrase).toList());
            vg.put("object_class", sc.shapes().stream().map(Shape::objectClass).toList());
            vg.put("relation", sc.relations());
            int relations = 0;
            for (int[] row : sc.relations()) for (int r : row) if (r != NONE) relations++;
            vg.put("relation_num", relations);
            switch (split) {
                case "train" -> { cocoTrain.add(coco); vgTrain.add(vg); counts[0]++; }
                case "val" -> { cocoVal.add(coco); vgVal.add(vg); counts[1]++; }
                default -> counts[2]++;
            }
            Map<String, Object> k = new LinkedHashMap<>();
            k.put("filepath", "images");
            k.put("filename", name + ".png");
            k.put("imgid", i);
            k.put("split", split);
            k.put("sentences", sc.captions().stream().map(c -> Map.of("raw", c)).toList());
            karpathy.add(k);
        }
        ObjectMapper m = JsonFiles.MAPPER;
        m.writeValue(out.resolve("COCO_train.json").toFile(), coco(cocoTrain));
        m.writeValue(out.resolve("COCO_val.json").toFile(), coco(cocoVal));
        m.writeValue(out.resolve("VG_train.json").toFile(), vg(vgTrain));
        m.writeValue(out.resolve("VG_val.json").toFile(), vg(vgVal));
        Map<String, Object> ks = new LinkedHashMap<>();
        ks.put("dataset", "synth");
        ks.put("images", karpathy);
        m.writeValue(out.resolve("dataset_coco.json").toFile(), ks);
        return new Summary(out, images, counts[0], counts[1], counts[2]);
    }

    // LinkedHashMap, not Map.of: Map.of's iteration order changes between JVM runs.
    private static Map<String, Object> vg(List<Object> data) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("image_base_path", "images");
        r.put("data", data);
        return r;
    }

    private static Map<String, Object> coco(List<Object> data) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("image_base_path", "images");
        r.put("caption_base_path", "captions");
        r.put("data", data);
        return r;
    }
}
