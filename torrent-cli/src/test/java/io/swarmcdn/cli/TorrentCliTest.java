package io.swarmcdn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmcdn.torrent.metainfo.Metainfo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The command line end to end: real files, real hashing, exit codes and both output streams. */
@Timeout(60)
class TorrentCliTest {
  @TempDir Path dir;

  private record Result(int exit, String out, String err) {}

  private static Result cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        TorrentCli.run(
            args,
            new Console(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)));
    return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private Path randomFile(String name, int size) throws Exception {
    byte[] b = new byte[size];
    new Random(size).nextBytes(b);
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    return Files.write(p, b);
  }

  @Test
  void createInfoVerifyRoundTrip() throws Exception {
    Path media = randomFile("clip.mp4", 100_000);
    Path out = dir.resolve("clip.torrent");
    Result created =
        cli("create", media.toString(), "--piece-length", "32K", "-w", "https://origin/media/clip.mp4",
            "--tracker", "wss://origin/announce", "-a", "http://backup/announce", "-o", out.toString());
    assertThat(created.exit()).isZero();
    Metainfo m = Metainfo.parse(Files.readAllBytes(out));
    assertThat(m.info().pieceLength()).isEqualTo(32768);
    assertThat(m.info().pieceCount()).isEqualTo(4);
    assertThat(m.webSeeds()).containsExactly("https://origin/media/clip.mp4");
    assertThat(m.announce()).isEqualTo("wss://origin/announce");
    assertThat(m.trackers()).containsExactly("wss://origin/announce", "http://backup/announce");
    assertThat(m.info().dictionary().containsKey("private")).isFalse();
    assertThat(created.out()).contains("info-hash:    " + m.infoHash().hex()).contains("wrote " + out);

    Result info = cli("info", out.toString());
    assertThat(info.exit()).isZero();
    assertThat(info.out())
        .contains("name:         clip.mp4")
        .contains("size:         100000 bytes (97.7 KiB)")
        .contains("piece length: 32768 (32.0 KiB)")
        .contains("pieces:       4")
        .contains("info-hash:    " + m.infoHash().hex())
        .contains("magnet:       magnet:?xt=urn:btih:" + m.infoHash().hex() + "&dn=clip.mp4&xl=100000")
        .contains("trackers:     wss://origin/announce http://backup/announce")
        .contains("web seeds:    https://origin/media/clip.mp4");
    assertThat(info.err()).isEmpty();

    Result ok = cli("verify", out.toString(), media.toString());
    assertThat(ok.exit()).isZero();
    assertThat(ok.out()).contains("OK: all 4 pieces match");

    byte[] content = Files.readAllBytes(media);
    content[70_000] ^= 0x40; // piece 2 (bytes 65536..98303)
    Files.write(media, content);
    Result bad = cli("verify", out.toString(), media.toString());
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.out()).contains("FAILED: 1 of 4 pieces do not match: 2").contains("affected files: clip.mp4");
  }

  @Test
  void verifyDirectoryReportsMissingFilesAndPieceRanges() throws Exception {
    Path album = dir.resolve("album");
    randomFile("album/a.bin", 40_000);
    randomFile("album/sub/b.bin", 70_000);
    Path torrent = dir.resolve("album.torrent");
    assertThat(cli("create", album.toString(), "-l", "16384", "-o", torrent.toString()).exit()).isZero();
    assertThat(cli("verify", torrent.toString(), album.toString()).exit()).isZero();
    Files.delete(album.resolve("sub/b.bin"));
    Result r = cli("verify", torrent.toString(), album.toString());
    assertThat(r.exit()).isEqualTo(1);
    // a.bin = bytes 0..39999 (pieces 0-2, piece 2 shared with b.bin); b.bin = pieces 2-6.
    assertThat(r.out()).contains("missing: " + album.resolve("sub/b.bin"))
        .contains("FAILED: 5 of 7 pieces do not match: 2-6")
        .contains("affected files: a.bin, sub/b.bin");
  }

  @Test
  void verifyFailsOnFileLongerThanTheTorrentSays() throws Exception {
    Path f = randomFile("f.bin", 20_000);
    Path torrent = dir.resolve("f.torrent");
    assertThat(cli("create", f.toString(), "-o", torrent.toString()).exit()).isZero();
    Files.write(f, new byte[] {1}, java.nio.file.StandardOpenOption.APPEND);
    Result r = cli("verify", torrent.toString(), f.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).contains("wrong size").contains("files are missing or too long");
  }

  @Test
  void helpAndUsageErrors() {
    Result help = cli("--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("create").contains("info").contains("verify");
    assertThat(cli("create", "--help").out()).contains("--piece-length").contains("--web-seed");
    Result none = cli();
    assertThat(none.exit()).isEqualTo(2);
    assertThat(none.err()).contains("usage:");
    Result unknown = cli("frobnicate");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("unknown command 'frobnicate'");
    Result badOption = cli("create", "x", "--bogus");
    assertThat(badOption.exit()).isEqualTo(2);
    assertThat(badOption.err()).contains("unknown option --bogus").contains("usage: swarmcdn-torrent create");
    Result missing = cli("verify", "only-one");
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("missing FILE.torrent PATH");
    Result badSize = cli("create", "x", "-l", "lots");
    assertThat(badSize.exit()).isEqualTo(2);
    assertThat(badSize.err()).contains("'lots' is not a size");
  }

  @Test
  void userErrorsGiveOneLineAndExitOneWithoutStackTrace() throws Exception {
    Path garbage = Files.writeString(dir.resolve("bad.torrent"), "d4:infoi1ee");
    Path empty = Files.createFile(dir.resolve("empty.bin"));
    Path media = randomFile("m.bin", 10);
    List<Result> results = new ArrayList<>();
    results.add(cli("info", garbage.toString()));
    results.add(cli("info", dir.resolve("nope.torrent").toString()));
    results.add(cli("create", empty.toString(), "-o", dir.resolve("e.torrent").toString()));
    results.add(cli("create", media.toString(), "-l", "3000", "-o", dir.resolve("x.torrent").toString()));
    results.add(cli("verify", garbage.toString(), media.toString()));
    for (Result r : results) {
      assertThat(r.exit()).isEqualTo(1);
      assertThat(r.err()).startsWith("swarmcdn-torrent: error: ").doesNotContain("\tat ");
      assertThat(r.err().strip().lines()).hasSize(1);
    }
    assertThat(results.get(0).err()).contains("'info' must be a dictionary");
    assertThat(results.get(1).err()).contains("no such file or directory");
    assertThat(results.get(2).err()).contains("'empty.bin' is empty");
    assertThat(results.get(3).err()).contains("piece length 3000 is not a power of two");
  }

  @Test
  void refusesToOverwriteUnlessForced() throws Exception {
    Path media = randomFile("m.bin", 10);
    Path out = Files.writeString(dir.resolve("m.torrent"), "keep");
    Result r = cli("create", media.toString(), "-o", out.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("already exists (use --force to overwrite)");
    assertThat(Files.readString(out)).isEqualTo("keep");
    assertThat(cli("create", media.toString(), "-o", out.toString(), "--force").exit()).isZero();
    assertThat(Metainfo.parse(Files.readAllBytes(out)).info().name()).isEqualTo("m.bin");
  }

  @Test
  void realProcessExitCodes() throws Exception {
    Path media = randomFile("p.bin", 50_000);
    Path torrent = dir.resolve("p.torrent");
    assertThat(runProcess("create", media.toString(), "-o", torrent.toString())).isZero();
    assertThat(runProcess("verify", torrent.toString(), media.toString())).isZero();
    Files.write(media, new byte[50_000]);
    assertThat(runProcess("verify", torrent.toString(), media.toString())).isEqualTo(1);
    assertThat(runProcess("nonsense")).isEqualTo(2);
  }

  private static int runProcess(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), TorrentCli.class.getName()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        throw new AssertionError("CLI did not finish: " + List.of(args));
      }
      return p.exitValue();
    } finally {
      p.destroyForcibly();
    }
  }
}
