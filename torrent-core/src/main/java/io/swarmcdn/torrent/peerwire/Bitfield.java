package io.swarmcdn.torrent.peerwire;

import java.util.Arrays;

/**
 * A set of piece indexes in the layout of the BEP 3 {@code bitfield} message: piece 0 is the high
 * bit of byte 0, spare bits at the end are zero. Keeps its cardinality so that "is complete" and
 * "how many" are O(1) on the hot path. Mutable, not thread-safe (the engine is single-threaded).
 */
public final class Bitfield {

    private final int size;
    private final byte[] bits;
    private int count;

    /** An empty set over {@code size} pieces. */
    public Bitfield(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("negative bitfield size " + size);
        }
        this.size = size;
        this.bits = new byte[byteLength(size)];
    }

    /** Number of bytes a {@code bitfield} message payload has for {@code pieces} pieces. */
    public static int byteLength(int pieces) {
        return (pieces + 7) >>> 3;
    }

    /**
     * Parses a bitfield payload from a peer. BEP 3 says the spare bits "are set to zero" and that
     * a bitfield "of the wrong length" is an error: both are rejected with
     * {@link IllegalArgumentException} (the caller turns it into a closed connection).
     */
    public static Bitfield fromBytes(byte[] src, int offset, int length, int pieces) {
        if (length != byteLength(pieces)) {
            throw new IllegalArgumentException(
                    "bitfield of " + length + " bytes for " + pieces + " pieces");
        }
        Bitfield b = new Bitfield(pieces);
        System.arraycopy(src, offset, b.bits, 0, length);
        int spare = (length << 3) - pieces;
        if (spare > 0 && (b.bits[length - 1] & ((1 << spare) - 1)) != 0) {
            throw new IllegalArgumentException("bitfield has spare bits set");
        }
        int c = 0;
        for (byte v : b.bits) {
            c += Integer.bitCount(v & 0xff);
        }
        b.count = c;
        return b;
    }

    /** A set holding every piece (a seed, or BEP 6 {@code have all}). */
    public static Bitfield full(int size) {
        Bitfield b = new Bitfield(size);
        b.setAll();
        return b;
    }

    public int size() {
        return size;
    }

    public boolean get(int index) {
        checkIndex(index);
        return (bits[index >>> 3] & (0x80 >>> (index & 7))) != 0;
    }

    /** Adds the piece; returns true if it was absent. */
    public boolean set(int index) {
        checkIndex(index);
        int mask = 0x80 >>> (index & 7);
        int i = index >>> 3;
        if ((bits[i] & mask) != 0) {
            return false;
        }
        bits[i] = (byte) (bits[i] | mask);
        count++;
        return true;
    }

    /** Removes the piece; returns true if it was present. */
    public boolean clear(int index) {
        checkIndex(index);
        int mask = 0x80 >>> (index & 7);
        int i = index >>> 3;
        if ((bits[i] & mask) == 0) {
            return false;
        }
        bits[i] = (byte) (bits[i] & ~mask);
        count--;
        return true;
    }

    public void setAll() {
        Arrays.fill(bits, (byte) 0xff);
        int spare = (bits.length << 3) - size;
        if (spare > 0) {
            bits[bits.length - 1] = (byte) (0xff << spare);
        }
        count = size;
    }

    /** Number of pieces in the set. */
    public int cardinality() {
        return count;
    }

    public boolean isComplete() {
        return count == size;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** Index of the first piece at or after {@code from} that is in the set, or -1. */
    public int nextSet(int from) {
        for (int i = Math.max(from, 0); i < size; i++) {
            int b = bits[i >>> 3];
            if (b == 0 && (i & 7) == 0) {
                i += 7;
                continue;
            }
            if ((b & (0x80 >>> (i & 7))) != 0) {
                return i;
            }
        }
        return -1;
    }

    /** The payload of a {@code bitfield} message (a copy). */
    public byte[] toBytes() {
        return bits.clone();
    }

    /** Writes the payload of a {@code bitfield} message into {@code dst} at {@code offset}. */
    public void writeTo(byte[] dst, int offset) {
        System.arraycopy(bits, 0, dst, offset, bits.length);
    }

    public Bitfield copy() {
        Bitfield b = new Bitfield(size);
        System.arraycopy(bits, 0, b.bits, 0, bits.length);
        b.count = count;
        return b;
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("piece " + index + " of " + size);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bitfield other && other.size == size && Arrays.equals(other.bits, bits);
    }

    @Override
    public int hashCode() {
        return 31 * size + Arrays.hashCode(bits);
    }

    @Override
    public String toString() {
        return "Bitfield[" + count + "/" + size + "]";
    }
}
