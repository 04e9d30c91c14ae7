package io.swarmcdn.torrent.jvm.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmcdn.torrent.magnet.MagnetUri;
import io.swarmcdn.torrent.metainfo.InfoHash;
import io.swarmcdn.torrent.metainfo.Metainfo;
import io.swarmcdn.torrent.metainfo.MetainfoException;
import io.swarmcdn.torrent.metainfo.TorrentFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Our torrents against the reference tools, run live: for the same content, name and piece length
 * the info-hash must be the one mktorrent (single files) or libtorrent (multi-file, see below)
 * computes.
 */
@Timeout(120)
class ReferenceToolsInteropTest {
  private static final String MKTORRENT = "/usr/bin/mktorrent";
  private static final String PYTHON = "/usr/bin/python3";
  private static final ParallelPieceHasher HASHER = new ParallelPieceHasher(2);

  @TempDir Path dir;

  @AfterAll
  static void close() {
    HASHER.close();
  }

  @ParameterizedTest(name = "{0} bytes, piece length 2^{1}")
  @CsvSource({
    "1, 15", // a 1-byte file
    "32768, 15", // exactly one piece
    "32769, 15", // one piece + 1 byte
    "1234567, 16", // several pieces, odd size
  })
  void singleFileInfoHashEqualsMktorrent(int size, int exponent) throws Exception {
    Path file = randomFile(dir.resolve("clip-" + size + ".bin"), size);
    Metainfo ours = TorrentFiles.create(file, b -> b.pieceLength(1 << exponent), HASHER, Progress.NONE);
    Metainfo theirs = mktorrent(file, exponent);
    assertThat(ours.infoHash()).isEqualTo(theirs.infoHash());
    assertThat(ours.infoBytes()).isEqualTo(theirs.infoBytes());
    assertThat(theirs.info().pieceCount()).isEqualTo((size + (1 << exponent) - 1) >> exponent);
  }

  @Test
  void emptyFileIsRejectedWhileMktorrentWritesAZeroPieceTorrentWeRejectToo() throws Exception {
    Path empty = Files.createFile(dir.resolve("empty.bin"));
    assertThatThrownBy(() -> TorrentFiles.create(empty, b -> {}, HASHER, Progress.NONE))
        .isInstanceOf(MetainfoException.class)
        .hasMessage("'empty.bin' is empty: a torrent needs at least one byte");
    // mktorrent 1.1 accepts it and writes "pieces" of 0 bytes; such a torrent has nothing to share.
    Path out = dir.resolve("empty.torrent");
    ExternalTool.Result r = ExternalTool.run(dir, List.of(MKTORRENT, "-l", "15", "-o", out.toString(), empty.toString()));
    assertThat(r.exit()).isZero();
    assertThatThrownBy(() -> Metainfo.parse(Files.readAllBytes(out)))
        .isInstanceOf(MetainfoException.class)
        .hasMessageContaining("no content");
  }

  @Test
  void multiFileWithoutSortingAmbiguityEqualsMktorrent() throws Exception {
    // Names without characters below '/', so mktorrent's whole-path order and ours agree.
    Path root = Files.createDirectories(dir.resolve("plain"));
    randomFile(root.resolve("alpha/one"), 40_000);
    randomFile(root.resolve("alphabet"), 1);
    randomFile(root.resolve("beta/gamma/delta"), 70_001);
    Files.createFile(root.resolve("zeta"));
    Metainfo ours = TorrentFiles.create(root, b -> b.pieceLength(1 << 15), HASHER, Progress.NONE);
    Metainfo theirs = mktorrent(root, 15);
    assertThat(ours.infoHash()).isEqualTo(theirs.infoHash());
    assertThat(paths(ours)).containsExactly("alpha/one", "alphabet", "beta/gamma/delta", "zeta");
  }

  /**
   * Reference: python3-libtorrent, not mktorrent. We list files sorted by path component (so a
   * directory's files stay together), mktorrent 1.1 sorts by the whole path string with strcmp, so
   * "a b/z" (space 0x20 < '/' 0x2F) comes before "a/x" there. The orders differ for exactly these
   * names, hence no equal info-hash with mktorrent is possible; libtorrent's create_torrent takes
   * the files in the order given and hashes them (v1_only), which checks our piece hashing and info
   * dictionary for this order independently. mktorrent's own torrent of the folder is still read
   * correctly by us: it verifies against the same files.
   */
  @Test
  void multiFileWithAwkwardNamesEqualsLibtorrentInPathComponentOrder() throws Exception {
    Path root = Files.createDirectories(dir.resolve("Mes vidéos"));
    randomFile(root.resolve("a/x.mp4"), 50_000);
    randomFile(root.resolve("a b/z y.webm"), 33_333);
    randomFile(root.resolve("a-b/y-1.2.txt"), 1);
    randomFile(root.resolve("a.c/w"), 65_536);
    randomFile(root.resolve("é/ü ñ.txt"), 12_345);
    randomFile(root.resolve("zz.txt"), 7);
    Metainfo ours = TorrentFiles.create(root, b -> b.pieceLength(1 << 15), HASHER, Progress.NONE);
    assertThat(paths(ours))
        .containsExactly("a/x.mp4", "a b/z y.webm", "a-b/y-1.2.txt", "a.c/w", "zz.txt", "é/ü ñ.txt");

    StringBuilder files = new StringBuilder();
    for (TorrentFile f : ours.info().files()) {
      files.append(f.pathString()).append('\t').append(f.length()).append('\n');
    }
    Files.writeString(dir.resolve("files.tsv"), files);
    String script =
        "import hashlib, os, sys, libtorrent as lt\n"
            + "name, pl = sys.argv[1], int(sys.argv[2])\n"
            + "fs = lt.file_storage()\n"
            + "for line in open('files.tsv', encoding='utf-8').read().splitlines():\n"
            + "    path, size = line.split('\\t')\n"
            + "    fs.add_file(os.path.join(name, *path.split('/')), int(size))\n"
            + "ct = lt.create_torrent(fs, pl, flags=lt.create_torrent.v1_only)\n"
            + "lt.set_piece_hashes(ct, '.')\n"
            + "data = lt.bencode(ct.generate())\n"
            + "print(lt.torrent_info(data).info_hash())\n"
            + "print(lt.make_magnet_uri(lt.torrent_info(data)))\n";
    Files.writeString(dir.resolve("make.py"), script);
    ExternalTool.Result r =
        ExternalTool.run(dir, List.of(PYTHON, "make.py", root.getFileName().toString(), "32768"));
    assertThat(r.exit()).as(r.output()).isZero();
    List<String> lines = r.output().lines().toList();
    assertThat(ours.infoHash().hex()).isEqualTo(lines.get(0));
    assertThat(MagnetUri.parse(lines.get(1)).infoHash()).isEqualTo(ours.infoHash());

    Metainfo theirs = mktorrent(root, 15);
    assertThat(paths(theirs).get(0)).as("mktorrent's order").isEqualTo("a b/z y.webm");
    assertThat(theirs.infoHash()).isNotEqualTo(ours.infoHash());
    assertThat(HASHER.verify(theirs.info(), TorrentFiles.locate(theirs.info(), root), Progress.NONE)
            .cardinality())
        .isEqualTo(theirs.info().pieceCount());
  }

  /** Runs mktorrent and checks its info-hash two ways: our parser and a raw SHA-1 of the bytes. */
  private Metainfo mktorrent(Path content, int exponent) throws Exception {
    Path out = dir.resolve(content.getFileName() + ".mk.torrent");
    ExternalTool.Result r =
        ExternalTool.run(dir, List.of(MKTORRENT, "-l", Integer.toString(exponent), "-t", "2",
            "-a", "http://127.0.0.1:1/announce", "-o", out.toString(), content.toString()));
    assertThat(r.exit()).as(r.output()).isZero();
    byte[] file = Files.readAllBytes(out);
    Metainfo parsed = Metainfo.parse(file);
    assertThat(parsed.infoHash()).isEqualTo(InfoHash.of(sha1(rawInfoBytes(file))));
    assertThat(parsed.createdBy()).startsWith("mktorrent");
    return parsed;
  }

  /**
   * The info dictionary's bytes found without our decoder: mktorrent writes "4:info" as the last
   * key of the root dictionary (keys "announce" < "created by" < "creation date" < "info"), so
   * the value runs from after it to the root's final 'e'.
   */
  private static byte[] rawInfoBytes(byte[] file) {
    String latin1 = new String(file, StandardCharsets.ISO_8859_1);
    int key = latin1.lastIndexOf("4:infod");
    assertThat(key).isPositive();
    assertThat(file[file.length - 1]).isEqualTo((byte) 'e');
    return Arrays.copyOfRange(file, key + "4:info".length(), file.length - 1);
  }

  private static byte[] sha1(byte[] b) throws Exception {
    return MessageDigest.getInstance("SHA-1").digest(b);
  }

  private static List<String> paths(Metainfo m) {
    List<String> out = new ArrayList<>();
    for (TorrentFile f : m.info().files()) {
      out.add(f.pathString());
    }
    return out;
  }

  private static Path randomFile(Path p, int size) throws Exception {
    Files.createDirectories(p.getParent());
    byte[] b = new byte[size];
    new Random(size).nextBytes(b);
    return Files.write(p, b);
  }
}
