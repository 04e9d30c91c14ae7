package io.swarmcdn.origin.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MediaPathTest {

  @Test
  void acceptsRelativePathsAndKeepsThemInsideTheRoot() {
    MediaPath p = MediaPath.parse("videos/2024/clip one.mp4");
    assertThat(p.segments()).containsExactly("videos", "2024", "clip one.mp4");
    assertThat(p.fileName()).isEqualTo("clip one.mp4");
    Path root = Path.of("/srv/media");
    assertThat(p.resolveIn(root)).isEqualTo(Path.of("/srv/media/videos/2024/clip one.mp4"));
  }

  @Test
  void rejectsEverythingThatCouldEscapeOrIsAmbiguous() {
    for (String bad : new String[] {"", "/etc/passwd", "..", "a/../b", "./a", "a/./b", "a//b",
        "a/", "a\\..\\b", "a\u0000b", "x".repeat(256)}) {
      assertThatIllegalArgumentException().as(bad).isThrownBy(() -> MediaPath.parse(bad));
    }
  }

  @Test
  void urlPathsAreDecodedPerSegment() {
    assertThat(MediaPath.fromUrlPath("a%20b/c+d.mp4").toString()).isEqualTo("a b/c+d.mp4");
    assertThatIllegalArgumentException().isThrownBy(() -> MediaPath.fromUrlPath("%2e%2e/x"));
    assertThatIllegalArgumentException().isThrownBy(() -> MediaPath.fromUrlPath("a%2F..%2Fb"));
    assertThatIllegalArgumentException().isThrownBy(() -> MediaPath.fromUrlPath("a%00"));
  }

  /**
   * Regression: bytes that were not UTF-8 decoded to U+FFFD, so an upload to {@code %C0%AE.bin}
   * was stored as another name than asked for, and {@code %FF%FE.bin} then hit it as a conflict.
   */
  @Test
  void invalidUtf8IsRejectedNotReplaced() {
    for (String raw : new String[] {"%C0%AE.bin", "%FF%FE.bin", "dir/%E2%82.bin", "a%80"}) {
      assertThatIllegalArgumentException().as(raw).isThrownBy(() -> MediaPath.fromUrlPath(raw))
          .withMessageContaining("UTF-8");
    }
    assertThatIllegalArgumentException().isThrownBy(() -> MediaPath.parse("\uFFFD\uFFFD.bin"))
        .withMessageContaining("UTF-8");
    assertThat(MediaPath.fromUrlPath("vid%C3%A9o.mp4").toString()).isEqualTo("vid\u00e9o.mp4");
  }

  @Test
  void hiddenAndTemporaryNamesAreIgnoredAtAnyDepth() {
    assertThat(MediaPath.parse(".git/config").isIgnored()).isTrue();
    assertThat(MediaPath.parse("a/.b/c.mp4").isIgnored()).isTrue();
    assertThat(MediaPath.parse("a/c.mp4.part").isIgnored()).isTrue();
    assertThat(MediaPath.parse("a/c.tmp").isIgnored()).isTrue();
    assertThat(MediaPath.parse("a/c.mp4").isIgnored()).isFalse();
  }
}
