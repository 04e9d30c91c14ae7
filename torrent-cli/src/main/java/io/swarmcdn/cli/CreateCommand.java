package io.swarmcdn.cli;

import io.swarmcdn.torrent.jvm.hash.ParallelPieceHasher;
import io.swarmcdn.torrent.jvm.hash.TorrentFiles;
import io.swarmcdn.torrent.metainfo.Metainfo;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** {@code create PATH}: hash a file or directory on all cores and write a .torrent. */
final class CreateCommand implements Command {
  static final String CREATED_BY = "swarmcdn-torrent";

  @Override
  public String name() {
    return "create";
  }

  @Override
  public String summary() {
    return "create a .torrent from a file or directory";
  }

  @Override
  public String usage() {
    return "usage: " + TorrentCli.PROGRAM + " create PATH [options]\n"
        + "  -l, --piece-length N   piece size, a power of two from 16K to 256M (e.g. 262144, 256K, 1M);\n"
        + "                         default: smallest of 16K..16M giving at most 1024 pieces\n"
        + "  -w, --web-seed URL     add a BEP 19 web seed (url-list); repeatable\n"
        + "  -a, --tracker URL      add a tracker (first = announce, all = announce-list); repeatable\n"
        + "  -c, --comment TEXT     set the comment\n"
        + "  -p, --private          mark the torrent private (BEP 27)\n"
        + "  -o, --output FILE      where to write (default: NAME.torrent in the current directory)\n"
        + "  -f, --force            overwrite the output file if it exists\n";
  }

  @Override
  public int run(List<String> args, Console console) throws Exception {
    Args a =
        Args.parse(
            args,
            Set.of("--piece-length", "--web-seed", "--tracker", "--comment", "--output"),
            Set.of("--private", "--force"),
            Map.of("-l", "--piece-length", "-w", "--web-seed", "-a", "--tracker", "-c", "--comment",
                "-o", "--output", "-p", "--private", "-f", "--force"));
    Path source = Path.of(a.positional(1, "PATH").get(0));
    Integer pieceLength = null;
    if (a.value("--piece-length") != null) {
      long pl = Sizes.parse(a.value("--piece-length"), "--piece-length");
      if (pl > Integer.MAX_VALUE) {
        throw new UsageException("--piece-length: " + pl + " is too large");
      }
      pieceLength = (int) pl;
    }
    Integer chosen = pieceLength;
    ProgressPrinter progress = new ProgressPrinter(console.err(), "hashing");
    Metainfo m;
    try (ParallelPieceHasher hasher = new ParallelPieceHasher()) {
      m = TorrentFiles.create(source, b -> {
        if (chosen != null) {
          b.pieceLength(chosen);
        }
        a.all("--tracker").forEach(b::tracker);
        a.all("--web-seed").forEach(b::webSeed);
        if (a.value("--comment") != null) {
          b.comment(a.value("--comment"));
        }
        b.privateTorrent(a.flag("--private"));
        b.createdBy(CREATED_BY).creationDate(Instant.now().getEpochSecond());
      }, hasher, progress);
    }
    double seconds = progress.done();
    Path output = a.value("--output") != null ? Path.of(a.value("--output"))
        : Path.of(m.info().name() + ".torrent");
    if (a.flag("--force")) {
      Files.write(output, m.toBytes());
    } else {
      try {
        Files.write(output, m.toBytes(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      } catch (FileAlreadyExistsException e) {
        throw new java.io.IOException(output + " already exists (use --force to overwrite)");
      }
    }
    InfoCommand.describe(m, console.out());
    console.out().println("wrote " + output);
    console.err().println(String.format(Locale.ROOT, "hashed %s in %.2f s (%s/s)",
        Sizes.human(m.info().totalLength()), seconds,
        Sizes.human((long) (m.info().totalLength() / Math.max(seconds, 1e-9)))));
    return 0;
  }
}
