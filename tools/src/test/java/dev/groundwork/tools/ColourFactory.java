package dev.groundwork.tools;

import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.search.Embedder;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/** Test factory: images embed to their mean colour, the words red/green/blue to that colour. */
final class ColourFactory implements EmbedderFactory {
    static final int S = 2;

    @Override
    public Embedder open(Path checkpoint) {
        return new Embedder() {
            public Tensor embedImages(Tensor x) { return x.mean(3, false).mean(2, false).reshape(x.size(0), 3); }

            public Tensor embedText(String t) {
                float[] v = Map.of("red", new float[] {1, 0, 0}, "green", new float[] {0, 1, 0}, "blue", new float[] {0, 0, 1}).get(t);
                return Tensor.of(v.clone(), 3);
            }

            public int imageSize() { return S; }
        };
    }

    @Override
    public Function<Path, Tensor> imageTransform(Embedder e) {
        return p -> {
            try {
                BufferedImage im = ImageIO.read(p.toFile());
                float[] a = new float[3 * S * S];
                for (int y = 0; y < S; y++)
                    for (int x = 0; x < S; x++)
                        for (int c = 0; c < 3; c++) a[c * S * S + y * S + x] = ((im.getRGB(x * im.getWidth() / S, y * im.getHeight() / S) >> (16 - 8 * c)) & 255) / 255f;
                return Tensor.of(a, 3, S, S);
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        };
    }

    static Path png(Path file, int rgb) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage im = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 4; y++) for (int x = 0; x < 4; x++) im.setRGB(x, y, rgb);
        ImageIO.write(im, "png", file.toFile());
        return file;
    }
}
