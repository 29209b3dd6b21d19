package dev.groundwork.models.interbert.data;

import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The loose typing of real records, read into one form: sizes as Python ints or numpy scalars,
 * heights as ints or floats, ids and text as str or bytes, base64 as str or bytes. Each reader
 * returns null when the value is of no acceptable type, and the caller names the field.
 */
final class Fields {
    private Fields() {}

    /** An integer, or a float with an integral value; null otherwise. */
    static Long integer(Object v) {
        return switch (v) {
            case Long l -> l;
            case Double d when d == Math.rint(d) && Math.abs(d) < 0x1p53 -> (long) (double) d;
            case BigInteger b when b.bitLength() < 64 -> b.longValue();
            case null, default -> null;
        };
    }

    /** A number of any of these kinds, as a double; null otherwise. */
    static Double number(Object v) {
        return switch (v) {
            case Long l -> (double) l;
            case Double d -> d;
            case null, default -> null;
        };
    }

    /** Text from str or UTF-8 bytes; null for anything else or bytes that are not UTF-8. */
    static String text(Object v) {
        if (v instanceof String s) return s;
        if (v instanceof byte[] b) {
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .decode(java.nio.ByteBuffer.wrap(b)).toString();
            } catch (CharacterCodingException e) {
                return null;
            }
        }
        return null;
    }

    /** An id: text, or an integer written in decimal. */
    static String id(Object v) {
        Long n = v instanceof String || v instanceof byte[] ? null : integer(v);
        return n != null ? n.toString() : text(v);
    }

    /** The bytes of a base64 field held as str or bytes (MIME line breaks allowed); null when it is not base64. */
    static byte[] base64(Object v) {
        try {
            if (v instanceof String s) return Base64.getMimeDecoder().decode(s);
            if (v instanceof byte[] b) return Base64.getMimeDecoder().decode(b);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return null;
    }

    /** Little-endian float32 values; null unless the length is a multiple of 4. */
    static float[] float32(byte[] raw) {
        if (raw.length % 4 != 0) return null;
        float[] f = new float[raw.length / 4];
        java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
        return f;
    }
}
