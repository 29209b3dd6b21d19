package dev.groundwork.models.vision;

import com.fasterxml.jackson.databind.JsonNode;
import dev.groundwork.engine.nn.Conv2d;
import dev.groundwork.engine.nn.MaxPool2d;
import dev.groundwork.engine.nn.ReLU;
import dev.groundwork.engine.nn.Sequential;
import dev.groundwork.engine.random.Generator;

import java.util.ArrayList;
import java.util.List;

/**
 * torchvision's make_layers (no batch norm) from a cfg list: an integer is a 3x3 conv (stride 1,
 * padding 1, bias) followed by ReLU, "M" a 2x2/2 max-pool. Each entry takes torchvision's Sequential
 * index (conv N, its ReLU N+1; a pool one index), so the convs of configuration D land at
 * 0,2,5,7,10,12,14,17,19,21,24,26,28 and checkpoints map as {@code features.N.*} / {@code image_model.N.*}.
 */
public final class VggFeatures {
    private VggFeatures() {}

    /** Pool marker in a cfg list. */
    public static final String M = "M";

    /** torchvision configuration "D" (VGG16). */
    public static final List<Object> CFG_D = List.of(64, 64, M, 128, 128, M, 256, 256, 256, M, 512, 512, 512, M, 512, 512, 512, M);

    /**
     * @param dropLastPool VG-BERT removes the final max-pool (spec 1.1: modules 0-29 kept, stride 16)
     */
    public static Sequential build(List<Object> cfg, int inChannels, boolean dropLastPool, Generator gen) {
        List<Object> layers = dropLastPool ? withoutLastPool(cfg) : cfg;
        Sequential s = new Sequential();
        int c = inChannels;
        for (Object e : layers) {
            if (M.equals(e)) {
                s.add(new MaxPool2d(2, 2, 0));
            } else {
                int out = width(e);
                s.add(new Conv2d(c, out, 3, 1, 1, gen));
                s.add(new ReLU());
                c = out;
            }
        }
        return s;
    }

    /** The cfg without its trailing "M" (an error if it does not end in one). */
    public static List<Object> withoutLastPool(List<Object> cfg) {
        if (cfg.isEmpty() || !M.equals(cfg.getLast()))
            throw new IllegalArgumentException("cfg " + cfg + " does not end with a max-pool to drop");
        return cfg.subList(0, cfg.size() - 1);
    }

    /** Channels of the last conv. */
    public static int outChannels(List<Object> cfg) {
        int c = -1;
        for (Object e : cfg) if (!M.equals(e)) c = width(e);
        if (c < 0) throw new IllegalArgumentException("cfg " + cfg + " has no convolution");
        return c;
    }

    /** Number of 2x2 pools, i.e. the spatial stride is 2^pools. */
    public static int pools(List<Object> cfg) { return (int) cfg.stream().filter(M::equals).count(); }

    /** A JSON array like [64, 64, "M", ...] as a cfg list. */
    public static List<Object> parse(JsonNode array) {
        if (!array.isArray()) throw new IllegalArgumentException("cfg must be a JSON array, got " + array);
        List<Object> out = new ArrayList<>();
        for (JsonNode n : array) {
            if (n.isInt()) out.add(n.asInt());
            else if (n.isTextual() && M.equals(n.asText())) out.add(M);
            else throw new IllegalArgumentException("cfg entry " + n + " is neither a width nor \"M\"");
        }
        return out;
    }

    private static int width(Object e) {
        if (e instanceof Integer w && w > 0) return w;
        throw new IllegalArgumentException("cfg entry " + e + " is neither a positive width nor \"M\"");
    }
}
