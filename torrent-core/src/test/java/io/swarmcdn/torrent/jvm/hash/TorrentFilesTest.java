package io.swarmcdn.torrent.jvm.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmcdn.torrent.metainfo.Metainfo;
import io.swarmcdn.torrent.metainfo.MetainfoException;
import io.swarmcdn.torrent.metainfo.TorrentFile;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class TorrentFilesTest {
  private static final ParallelPieceHasher HASHER = new ParallelPieceHasher(2);
  @TempDir Path dir;

  @AfterAll
  static void close() {
    HASHER.close();
  }

  @Test
  void directoryBecomesMultiFileTorrentWithEveryFileIncludingHiddenAndEmptyOnes() throws Exception {
    Path root = Files.createDirectories(dir.resolve("album"));
    Files.createDirectories(root.resolve("sub"));
    Files.writeString(root.resolve(".hidden"), "h");
    Files.writeString(root.resolve("sub/b.txt"), "bbbb");
    Files.writeString(root.resolve("a.txt"), "aa");
    Files.createFile(root.resolve("empty"));
    Metainfo m = TorrentFiles.create(root, b -> b.webSeed("http://w/"), HASHER, Progress.NONE);
    assertThat(m.info().name()).isEqualTo("album");
    assertThat(m.info().files().stream().map(TorrentFile::pathString))
        .containsExactly(".hidden", "a.txt", "empty", "sub/b.txt");
    assertThat(m.webSeeds()).containsExactly("http://w/");
    List<Path> located = TorrentFiles.locate(m.info(), root);
    assertThat(Reference.pieces(Reference.concat(located), m.info().pieceLength()))
        .isEqualTo(m.info().dictionary().getBytes("pieces"));
    assertThat(located.get(3)).isEqualTo(root.resolve("sub").resolve("b.txt"));
  }

  @Test
  void fileBecomesSingleFileTorrent() throws Exception {
    Path f = Files.writeString(dir.resolve("clip.mp4"), "x".repeat(40_000));
    Metainfo m = TorrentFiles.create(f, b -> b.pieceLength(16384), HASHER, Progress.NONE);
    assertThat(m.info().isSingleFile()).isTrue();
    assertThat(m.info().pieceCount()).isEqualTo(3);
    assertThat(TorrentFiles.locate(m.info(), f)).containsExactly(f);
    assertThat(TorrentFiles.locate(m.info(), dir)).containsExactly(f);
  }

  @Test
  void nothingIsSkippedSilently() throws Exception {
    Path root = Files.createDirectories(dir.resolve("r"));
    Files.writeString(root.resolve("a"), "a");
    Files.createDirectories(root.resolve("hole"));
    assertThatThrownBy(() -> TorrentFiles.create(root, b -> {}, HASHER, Progress.NONE))
        .isInstanceOf(MetainfoException.class)
        .hasMessageContaining("empty directory");
    Files.delete(root.resolve("hole"));
    Files.createSymbolicLink(root.resolve("loop"), root);
    assertThatThrownBy(() -> TorrentFiles.create(root, b -> {}, HASHER, Progress.NONE))
        .isInstanceOf(MetainfoException.class)
        .hasMessageContaining("symbolic link loop");
    Files.delete(root.resolve("loop"));
    Files.createSymbolicLink(root.resolve("dangling"), root.resolve("nowhere"));
    assertThatThrownBy(() -> TorrentFiles.create(root, b -> {}, HASHER, Progress.NONE))
        .isInstanceOf(MetainfoException.class)
        .hasMessageContaining("not a regular file");
  }

  @Test
  void emptyOrMissingSourcesAreRejected() throws Exception {
    Path empty = Files.createFile(dir.resolve("zero"));
    assertThatThrownBy(() -> TorrentFiles.create(empty, b -> {}, HASHER, Progress.NONE))
        .isInstanceOf(MetainfoException.class)
        .hasMessageContaining("'zero' is empty");
    assertThatThrownBy(() -> TorrentFiles.create(dir.resolve("nope"), b -> {}, HASHER, Progress.NONE))
        .isInstanceOf(NoSuchFileException.class);
  }
}
