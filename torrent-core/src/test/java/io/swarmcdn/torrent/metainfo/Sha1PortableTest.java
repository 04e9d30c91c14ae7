package io.swarmcdn.torrent.metainfo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class Sha1PortableTest {
  @Test
  void knownVector() {
    byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
    assertThat(InfoHash.of(Sha1Portable.digest(abc, 0, 3)).hex())
        .isEqualTo("a9993e364706816aba3e25717850c26c9cd0d89d");
  }

  @Test
  void agreesWithTheJdkAroundEveryPaddingBoundary() {
    Random r = new Random(1);
    byte[] data = new byte[400];
    r.nextBytes(data);
    for (int len = 0; len <= 300; len++) {
      byte[] part = java.util.Arrays.copyOfRange(data, 5, 5 + len);
      assertThat(Sha1Portable.digest(data, 5, len)).as("length %d", len)
          .isEqualTo(TestTorrents.sha1(part));
    }
  }
}
