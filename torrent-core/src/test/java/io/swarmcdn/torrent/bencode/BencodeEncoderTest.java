package io.swarmcdn.torrent.bencode;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class BencodeEncoderTest {
  @Test
  void builderSortsKeysAndConvertsConvenienceTypes() {
    BDictionary d =
        BDictionary.builder()
            .put("zeta", 1)
            .put("alpha", "text")
            .put("list", List.of("a", 2L, new byte[] {0}))
            .put("map", Map.of("k", -3))
            .build();
    String encoded = new String(BencodeEncoder.encode(d), StandardCharsets.ISO_8859_1);
    assertThat(encoded).isEqualTo("d5:alpha4:text4:listl1:ai2e1:\0e3:mapd1:ki-3ee4:zetai1ee");
  }

  @Test
  void utf8StringsAreEncodedByByteLength() {
    byte[] encoded = BencodeEncoder.encode(BString.of("é"));
    assertThat(new String(encoded, StandardCharsets.UTF_8)).isEqualTo("2:é");
  }
}
