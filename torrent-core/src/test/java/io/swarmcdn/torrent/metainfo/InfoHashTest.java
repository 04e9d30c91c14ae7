package io.swarmcdn.torrent.metainfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class InfoHashTest {
  private static final String HEX = "00ff10a9993e364706816aba3e25717850c26c9c";

  @Test
  void hexRoundTripIsLowercase() {
    InfoHash h = InfoHash.fromHex(HEX.toUpperCase());
    assertThat(h.hex()).isEqualTo(HEX);
    assertThat(h.bytes()[1]).isEqualTo((byte) 0xff);
    assertThat(h).isEqualTo(InfoHash.of(h.bytes())).hasSameHashCodeAs(InfoHash.fromHex(HEX));
    assertThat(h.toString()).isEqualTo(HEX);
  }

  @Test
  void binaryStringIsOneCharPerByte() {
    InfoHash h = InfoHash.fromHex(HEX);
    String s = h.toBinaryString();
    assertThat(s).hasSize(20);
    assertThat(s.charAt(1)).isEqualTo('\u00ff');
    assertThat(InfoHash.fromBinaryString(s)).isEqualTo(h);
  }

  @Test
  void rejectsBadInput() {
    assertThatThrownBy(() -> InfoHash.fromHex("abc")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("40 digits");
    assertThatThrownBy(() -> InfoHash.fromHex("g".repeat(40))).hasMessageContaining("not a hex");
    assertThatThrownBy(() -> InfoHash.fromBinaryString("\u0100" + "a".repeat(19)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("U+100");
    assertThatThrownBy(() -> InfoHash.fromBinaryString("a".repeat(21)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> InfoHash.of(new byte[19])).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void bytesAreDefensiveCopies() {
    byte[] raw = new byte[20];
    InfoHash h = InfoHash.of(raw);
    raw[0] = 1;
    h.bytes()[0] = 2;
    assertThat(h.bytes()[0]).isZero();
  }
}
