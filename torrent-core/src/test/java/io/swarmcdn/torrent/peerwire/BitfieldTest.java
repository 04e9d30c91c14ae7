package io.swarmcdn.torrent.peerwire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BitfieldTest {

    @Test
    void layoutIsHighBitFirstAndCountsAreKept() {
        Bitfield b = new Bitfield(10);
        assertThat(b.set(0)).isTrue();
        assertThat(b.set(0)).isFalse();
        b.set(9);
        assertThat(b.toBytes()).containsExactly(0x80, 0x40);
        assertThat(b.cardinality()).isEqualTo(2);
        assertThat(b.nextSet(1)).isEqualTo(9);
        assertThat(b.nextSet(10)).isEqualTo(-1);
        assertThat(b.clear(0)).isTrue();
        assertThat(b.cardinality()).isEqualTo(1);
        Bitfield full = Bitfield.full(10);
        assertThat(full.toBytes()).containsExactly(0xff, 0xc0);
        assertThat(full.isComplete()).isTrue();
    }

    @Test
    void parsingRejectsWrongLengthAndSpareBits() {
        assertThat(Bitfield.fromBytes(new byte[] {(byte) 0xff, (byte) 0xc0}, 0, 2, 10).isComplete())
                .isTrue();
        assertThatThrownBy(() -> Bitfield.fromBytes(new byte[3], 0, 3, 10))
                .hasMessageContaining("3 bytes for 10 pieces");
        assertThatThrownBy(() -> Bitfield.fromBytes(new byte[] {0, 0x20}, 0, 2, 10))
                .hasMessageContaining("spare bits");
    }

    @Test
    void outOfRangeIndexThrows() {
        assertThatThrownBy(() -> new Bitfield(3).get(3)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
