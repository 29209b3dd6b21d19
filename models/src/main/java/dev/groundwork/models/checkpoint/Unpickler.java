package dev.groundwork.models.checkpoint;

import java.math.BigInteger;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one restricted pickle reader (protocols 2 to 5), for what {@code torch.save} writes and for the
 * numpy data pickles of InterBERT's datasets. It interprets opcodes into plain Java values; globals go
 * through an allow-list profile ({@link TorchGlobals} for state dicts, {@link NumpyGlobals} for data),
 * which refuses anything not listed, so no code named by the file is ever run. Unknown opcodes are errors rather than
 * skipped, because guessing their length would misread everything after them.
 *
 * <p>Bounded work on hostile input: at most {@link #MAX_VALUES} values are created; dict keys must be
 * what a state dict's keys can be ({@link PickleKeys}), so nothing the file builds is ever hashed,
 * compared or printed recursively (a memo-shared DAG of a few hundred bytes can stand for a tree of
 * 2^64 nodes); strings must be valid UTF-8, as Python requires.
 */
final class Unpickler {
    /** Resolves a BINPERSID id; torch uses it to point at storages stored outside the pickle. */
    interface PersistentLoader {
        Object load(Object pid, long offset) throws PickleException;
    }

    private static final Object MARK = new Object() {
        @Override
        public String toString() { return "MARK"; }
    };

    private final ByteBuffer in;
    private final int start;
    private final PersistentLoader persistent;
    private final PickleGlobals globals;
    private final ArrayList<Object> stack = new ArrayList<>();
    private final ArrayList<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private int op;
    private long values;

    /**
     * Values one pickle may create (pushes, including memo reuses): a tensor costs about 25, so this is
     * a state dict of some 150k tensors, and even 4M empty lists stay well inside a 1 GiB heap.
     */
    static final long MAX_VALUES = 4_000_000L;

    /** Reads the pickle starting at {@code in.position()}; afterwards the position is just past STOP. */
    Unpickler(ByteBuffer in, PersistentLoader persistent) {
        this(in, persistent, TorchGlobals.PROFILE);
    }

    /** As above, with the globals of another allow-list profile. */
    Unpickler(ByteBuffer in, PersistentLoader persistent, PickleGlobals globals) {
        this.in = in.order(ByteOrder.LITTLE_ENDIAN);
        this.start = in.position();
        this.persistent = persistent;
        this.globals = globals;
    }

    Object load() throws PickleException {
        try {
            while (true) {
                op = in.position();
                int code = in.get() & 0xFF;
                if (code == '.') {
                    if (stack.size() != 1 || !marks.isEmpty()) throw error("STOP with " + stack.size() + " values on the stack");
                    return stack.getFirst();
                }
                step(code);
            }
        } catch (BufferUnderflowException e) {
            throw new PickleException(in.position() - start, "pickle is truncated: it ends before its STOP opcode");
        } catch (ClassCastException | IndexOutOfBoundsException e) {
            throw error("malformed pickle (" + e.getMessage() + ")");
        }
    }

    private void step(int code) throws PickleException {
        switch (code) {
            case 0x80 -> { int v = in.get() & 0xFF; if (v < 2 || v > 5) throw error("unsupported pickle protocol " + v); }
            case 0x95 -> in.getLong(); // FRAME: a length hint only
            case '}' -> push(new LinkedHashMap<>());
            case ']' -> push(new ArrayList<>());
            case ')' -> push(new Pickled.Tuple(List.of()));
            case '(' -> { marks.add(stack.size()); }
            case 'd' -> { Map<Object, Object> m = new LinkedHashMap<>(); putAll(m, popMark()); push(m); }
            case 'l' -> push(new ArrayList<>(popMark()));
            case 't' -> push(new Pickled.Tuple(popMark()));
            case 0x85 -> push(new Pickled.Tuple(List.of(pop())));
            case 0x86 -> { Object b = pop(), a = pop(); push(new Pickled.Tuple(Arrays.asList(a, b))); }
            case 0x87 -> { Object c = pop(), b = pop(), a = pop(); push(new Pickled.Tuple(Arrays.asList(a, b, c))); }
            case 'X' -> push(utf8(length(in.getInt() & 0xFFFFFFFFL)));
            case 0x8c -> push(utf8(in.get() & 0xFF));
            case 0x8d -> push(utf8(length(in.getLong())));
            case 'T' -> push(latin1(length(in.getInt())));   // BINSTRING: Python 2 str
            case 'U' -> push(latin1(in.get() & 0xFF));        // SHORT_BINSTRING
            case 'B' -> push(bytes(length(in.getInt() & 0xFFFFFFFFL)));
            case 'C' -> push(bytes(in.get() & 0xFF));
            case 0x8e, 0x96 -> push(bytes(length(in.getLong()))); // BINBYTES8, BYTEARRAY8 (protocol 5 in-band buffers)
            case 0x97, 0x98 -> throw error("out-of-band pickle buffers are not supported (the data is not in the file)");
            case 'J' -> push((long) in.getInt());
            case 'K' -> push((long) (in.get() & 0xFF));
            case 'M' -> push((long) (in.getShort() & 0xFFFF));
            case 0x8a -> push(longN(in.get() & 0xFF));
            case 0x8b -> push(longN(length(in.getInt())));
            case 'G' -> push(Double.longBitsToDouble(Long.reverseBytes(in.getLong()))); // BINFLOAT is big-endian
            case 0x88 -> push(Boolean.TRUE);
            case 0x89 -> push(Boolean.FALSE);
            case 'N' -> push(null);
            case 's' -> { Object v = pop(), k = pop(); dict(peek()).put(key(k), v); }
            case 'u' -> { List<Object> items = popMark(); putAll(dict(peek()), items); }
            case 'a' -> { Object v = pop(); list(peek()).add(v); }
            case 'e' -> { List<Object> items = popMark(); list(peek()).addAll(items); }
            case 'q' -> memo.put((long) (in.get() & 0xFF), peek());
            case 'r' -> memo.put(in.getInt() & 0xFFFFFFFFL, peek());
            case 0x94 -> memo.put((long) memo.size(), peek());
            case 'h' -> push(memoGet(in.get() & 0xFF));
            case 'j' -> push(memoGet(in.getInt() & 0xFFFFFFFFL));
            case '0' -> pop();
            case '1' -> popMark();
            case '2' -> push(peek());
            case 'c' -> push(globals.resolve(line(), line(), op - start));
            case 0x93 -> {
                Object name = pop(), module = pop();
                if (!(module instanceof String m) || !(name instanceof String n)) throw error("STACK_GLOBAL needs two strings");
                push(globals.resolve(m, n, op - start));
            }
            case 'R' -> { Object args = pop(), fn = pop(); push(globals.call(fn, tuple(args), op - start)); }
            case 0x81 -> { Object args = pop(), cls = pop(); push(globals.newObject(cls, tuple(args), op - start)); }
            case 'b' -> { Object state = pop(); globals.build(peek(), state, op - start); }
            case 'Q' -> {
                if (persistent == null) throw error("persistent id in a pickle that allows none");
                push(persistent.load(pop(), op - start));
            }
            default -> throw error(String.format("unsupported pickle opcode 0x%02x", code));
        }
    }

    private PickleException error(String msg) { return new PickleException(op - start, msg); }

    private void push(Object o) throws PickleException {
        if (++values > MAX_VALUES) throw error("pickle creates more than " + MAX_VALUES + " values");
        stack.add(o);
    }

    /** A dict key the reader accepts (see {@link PickleKeys}); anything else is refused, not hashed. */
    private Object key(Object k) throws PickleException {
        String why = PickleKeys.refusal(k);
        if (why != null) throw error(why);
        return k;
    }

    private Object pop() throws PickleException {
        int floor = marks.isEmpty() ? 0 : marks.getLast();
        if (stack.size() <= floor) throw error("stack underflow");
        return stack.removeLast();
    }

    private Object peek() throws PickleException {
        if (stack.isEmpty()) throw error("stack underflow");
        return stack.getLast();
    }

    private List<Object> popMark() throws PickleException {
        if (marks.isEmpty()) throw error("no MARK to pop to");
        int at = marks.removeLast();
        List<Object> items = new ArrayList<>(stack.subList(at, stack.size()));
        stack.subList(at, stack.size()).clear();
        return items;
    }

    private Object memoGet(long key) throws PickleException {
        if (!memo.containsKey(key)) throw error("memo key " + key + " was never stored");
        return memo.get(key);
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict(Object o) throws PickleException {
        if (o instanceof Map<?, ?> m) return (Map<Object, Object>) m;
        throw error("SETITEM on " + TorchGlobals.describe(o) + ", not a dict");
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object o) throws PickleException {
        if (o instanceof ArrayList<?> l) return (List<Object>) l;
        throw error("APPEND on " + TorchGlobals.describe(o) + ", not a list");
    }

    private Pickled.Tuple tuple(Object o) throws PickleException {
        if (o instanceof Pickled.Tuple t) return t;
        throw error("call arguments are " + TorchGlobals.describe(o) + ", not a tuple");
    }

    private void putAll(Map<Object, Object> m, List<Object> kv) throws PickleException {
        if (kv.size() % 2 != 0) throw error("odd number of items for a dict");
        for (int i = 0; i < kv.size(); i += 2) m.put(key(kv.get(i)), kv.get(i + 1));
    }

    /** A length that must fit in what is left of the stream (guards against huge allocations). */
    private int length(long n) throws PickleException {
        if (n < 0 || n > in.remaining()) throw new PickleException(op - start, "pickle is truncated: a " + n + "-byte field runs past its end");
        return (int) n;
    }

    private byte[] bytes(int n) throws PickleException {
        byte[] b = new byte[length(n)];
        in.get(b);
        return b;
    }

    /** Strict, as Python's own decoder: invalid UTF-8 would otherwise become U+FFFD and rename tensors silently. */
    private String utf8(int n) throws PickleException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes(n))).toString();
        } catch (CharacterCodingException e) {
            throw error("a " + n + "-byte string is not valid UTF-8");
        }
    }

    private String latin1(int n) throws PickleException { return new String(bytes(n), StandardCharsets.ISO_8859_1); }

    /** LONG1/LONG4: little-endian two's complement; a Long when it fits. */
    private Object longN(int n) throws PickleException {
        byte[] le = bytes(n);
        if (n == 0) return 0L;
        byte[] be = new byte[n];
        for (int i = 0; i < n; i++) be[i] = le[n - 1 - i];
        BigInteger v = new BigInteger(be);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    /** A newline-terminated ASCII field of GLOBAL. */
    private String line() throws PickleException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            byte b = in.get();
            if (b == '\n') return sb.toString();
            if (sb.length() > 256) throw error("GLOBAL name is too long");
            sb.append((char) (b & 0xFF));
        }
    }
}
