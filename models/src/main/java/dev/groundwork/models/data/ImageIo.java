package dev.groundwork.models.data;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Decodes JPEG and PNG files (javax.imageio) into RGB float CHW in [0,1], like PIL's convert("RGB") + ToTensor. */
public final class ImageIo {
    private ImageIo() {}

    /** Reads {@code file}; failures name the file and, through {@code index}, the dataset record. */
    public static RgbImage read(Path file, int index) throws DataException {
        BufferedImage img;
        try (InputStream in = Files.newInputStream(file)) {
            img = ImageIO.read(in);
        } catch (NoSuchFileException e) {
            throw new DataException(index, file, "image file not found", e);
        } catch (IOException | RuntimeException e) {
            throw new DataException(index, file, "unreadable image: " + e.getMessage(), e);
        }
        if (img == null) throw new DataException(index, file, "not a readable JPEG or PNG image");
        return toRgb(img);
    }

    public static RgbImage read(Path file) throws DataException { return read(file, -1); }

    /**
     * Checks that {@code file} exists and that an image reader recognises it and can read its size,
     * without decoding the pixels: cheap enough to run over a whole dataset before training.
     */
    public static void checkHeader(Path file, int index) throws DataException {
        if (!Files.isRegularFile(file)) throw new DataException(index, file, "image file not found");
        try (var in = ImageIO.createImageInputStream(file.toFile())) {
            var readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) throw new DataException(index, file, "not a readable JPEG or PNG image");
            var reader = readers.next();
            try {
                reader.setInput(in, true, true);
                if (reader.getWidth(0) <= 0 || reader.getHeight(0) <= 0) throw new DataException(index, file, "image has no pixels");
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new DataException(index, file, "unreadable image: " + e.getMessage(), e);
        }
    }

    public static RgbImage toRgb(BufferedImage img) {
        int h = img.getHeight(), w = img.getWidth(), plane = h * w;
        float[] out = new float[3 * plane];
        if (img.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            // getRGB would push grey through a colour-space conversion and shift the values; PIL
            // copies the grey level into all three channels, so do the same from the raster.
            Raster r = img.getRaster();
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                r.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    float v = row[x] / 255f;
                    out[y * w + x] = v;
                    out[plane + y * w + x] = v;
                    out[2 * plane + y * w + x] = v;
                }
            }
            return new RgbImage(h, w, out);
        }
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < plane; i++) {
            int p = argb[i];
            out[i] = ((p >> 16) & 0xFF) / 255f;
            out[plane + i] = ((p >> 8) & 0xFF) / 255f;
            out[2 * plane + i] = (p & 0xFF) / 255f;
        }
        return new RgbImage(h, w, out);
    }
}
