package dev.groundwork.models.search;

import dev.groundwork.engine.tensor.Tensor;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * Test embedder: an image's embedding is its mean RGB colour, a word's is the colour it names. It
 * counts embedded images so tests can see what the cache saved.
 */
public final class FakeColourEmbedder implements Embedder {
    static final int SIZE = 4;
    static final Map<String, float[]> WORDS = Map.of(
            "red", new float[] {1, 0, 0}, "green", new float[] {0, 1, 0}, "blue", new float[] {0, 0, 1});
    public int imagesEmbedded;

    @Override
    public Tensor embedImages(Tensor images) {
        int b = images.size(0);
        imagesEmbedded += b;
        return images.mean(3, false).mean(2, false).reshape(b, 3);
    }

    @Override
    public Tensor embedText(String text) { return Tensor.of(WORDS.get(text).clone(), 3); }

    @Override
    public int imageSize() { return SIZE; }

    /** Nearest-neighbour resize to SIZE×SIZE, values in [0,1]: enough for solid-colour test images. */
    public static final Function<Path, Tensor> RESIZE = p -> {
        BufferedImage im;
        try {
            im = ImageIO.read(p.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (im == null) throw new IllegalArgumentException("not an image");
        float[] a = new float[3 * SIZE * SIZE];
        for (int y = 0; y < SIZE; y++)
            for (int x = 0; x < SIZE; x++) {
                int rgb = im.getRGB(x * im.getWidth() / SIZE, y * im.getHeight() / SIZE);
                for (int c = 0; c < 3; c++) a[c * SIZE * SIZE + y * SIZE + x] = ((rgb >> (16 - 8 * c)) & 255) / 255f;
            }
        return Tensor.of(a, 3, SIZE, SIZE);
    };

    /** Writes a solid-colour PNG (or JPEG by extension) of the given size. */
    public static Path solid(Path file, int rgb, int w, int h) throws IOException {
        java.nio.file.Files.createDirectories(file.getParent());
        BufferedImage im = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) im.setRGB(x, y, rgb);
        String fmt = file.toString().endsWith(".png") ? "png" : "jpg";
        if (!ImageIO.write(im, fmt, file.toFile())) throw new IOException("no writer for " + fmt);
        return file;
    }
}
