package io.swarmcdn.torrent.create;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmcdn.torrent.bencode.BString;
import io.swarmcdn.torrent.metainfo.Metainfo;
import io.swarmcdn.torrent.metainfo.MetainfoException;
import io.swarmcdn.torrent.metainfo.TorrentFile;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(10)
class TorrentBuilderTest {
  private static TorrentBuilder.FileEntry file(String path, long length) {
    return new TorrentBuilder.FileEntry(List.of(path.split("/", -1)), length);
  }

  @Test
  void multiFileOrderIsByPathComponentThenUtf8Bytes() {
    TorrentBuilder b =
        TorrentBuilder.multiFile(
            "d",
            List.of(
                file("a0", 1), file("a.c/w", 1), file("a-b/y", 1), file("a b/z", 1),
                file("a/x", 1), file("é", 1), file("z", 1), file("a/B", 1)));
    assertThat(b.files().stream().map(TorrentFile::pathString))
        .containsExactly("a/B", "a/x", "a b/z", "a-b/y", "a.c/w", "a0", "z", "é");
    assertThat(b.files().get(7).offset()).isEqualTo(7);
  }

  @Test
  void infoDictionaryHasOnlyTheRequiredKeysUnlessPrivateIsAsked() {
    TorrentBuilder b = TorrentBuilder.singleFile("f", 10).tracker("http://t/a").comment("c");
    Metainfo m = b.build(new byte[20]);
    assertThat(m.info().dictionary().entries().keySet())
        .containsExactly(BString.of("length"), BString.of("name"), BString.of("piece length"), BString.of("pieces"));
    assertThat(m.announce()).isEqualTo("http://t/a");
    assertThat(m.announceList()).isEmpty();
    assertThat(m.comment()).isEqualTo("c");
    Metainfo priv = TorrentBuilder.singleFile("f", 10).privateTorrent(true).build(new byte[20]);
    assertThat(priv.info().isPrivate()).isTrue();
    assertThat(priv.infoHash()).isNotEqualTo(m.infoHash());
  }

  @Test
  void severalTrackersAndWebSeeds() {
    Metainfo m =
        TorrentBuilder.singleFile("f", 10)
            .tracker("http://a")
            .tracker("http://b")
            .webSeed("http://w1/f")
            .webSeed("http://w2/f")
            .createdBy("me")
            .creationDate(5)
            .build(new byte[20]);
    assertThat(m.announce()).isEqualTo("http://a");
    assertThat(m.announceList()).containsExactly(List.of("http://a"), List.of("http://b"));
    assertThat(m.webSeeds()).containsExactly("http://w1/f", "http://w2/f");
    assertThat(m.createdBy()).isEqualTo("me");
    assertThat(m.creationDate()).isEqualTo(5L);
    String raw = new String(
        TorrentBuilder.singleFile("f", 1).webSeed("http://w/f").build(new byte[20]).toBytes(),
        StandardCharsets.ISO_8859_1);
    assertThat(raw).contains("8:url-list10:http://w/f");
  }

  @Test
  void pieceLengthIsAutomaticUnlessSet() {
    TorrentBuilder b = TorrentBuilder.singleFile("f", 100_000_000);
    assertThat(b.pieceLength()).isEqualTo(PieceLengths.automatic(100_000_000));
    assertThat(b.pieceLength(1 << 20).pieceLength()).isEqualTo(1 << 20);
    assertThat(b.pieceCount()).isEqualTo(96);
    assertThatThrownBy(() -> b.pieceLength(3000)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("power of two");
    assertThatThrownBy(() -> b.build(new byte[20])).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected 96 piece hashes");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".", "..", "a/b", "x\0"})
  void rejectsUnsafeNames(String name) {
    assertThatThrownBy(() -> TorrentBuilder.singleFile(name, 1)).isInstanceOf(MetainfoException.class);
    assertThatThrownBy(() -> TorrentBuilder.multiFile("d", List.of(new TorrentBuilder.FileEntry(List.of("ok", name), 1))))
        .isInstanceOf(MetainfoException.class).hasMessageContaining("path 'ok/");
  }

  @Test
  void rejectsEmptyContent() {
    assertThatThrownBy(() -> TorrentBuilder.singleFile("f", 0)).hasMessageContaining("'f' is empty");
    assertThatThrownBy(() -> TorrentBuilder.multiFile("d", List.of(file("a", 0))))
        .hasMessageContaining("holds no data");
    assertThatThrownBy(() -> TorrentBuilder.multiFile("d", List.of())).hasMessageContaining("no files");
  }
}
