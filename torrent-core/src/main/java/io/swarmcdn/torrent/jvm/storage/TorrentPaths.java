package io.swarmcdn.torrent.jvm.storage;

import io.swarmcdn.torrent.metainfo.Info;
import io.swarmcdn.torrent.metainfo.TorrentFile;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a torrent's files go under a target directory: {@code DIR/name} for a single-file
 * torrent, {@code DIR/name/path...} for a multi-file one (BEP 3). Names and paths come from an
 * untrusted .torrent (or from a peer, for a magnet link), so every component is checked again
 * here and nothing is ever created outside the target directory: no {@code ..}, no absolute
 * paths, no symbolic link followed below the directory.
 */
public final class TorrentPaths {

    private TorrentPaths() {}

    /** The paths of the torrent's files under {@code directory}, in torrent order (no I/O). */
    public static List<Path> resolve(Path directory, Info info) {
        Path root = directory.toAbsolutePath().normalize();
        List<Path> out = new ArrayList<>(info.files().size());
        for (TorrentFile f : info.files()) {
            out.add(resolve(root, components(info, f)));
        }
        return out;
    }

    /**
     * Creates the directories and (empty, sparse) files of the torrent under {@code directory},
     * keeping what already exists (resume), truncating a file longer than the torrent says.
     *
     * @throws IOException if a path would pass through a symbolic link or a non-directory, or
     *     creation fails
     */
    static List<Path> create(Path directory, Info info) throws IOException {
        Path root = directory.toAbsolutePath().normalize();
        Files.createDirectories(root);
        root = root.toRealPath();
        List<Path> out = new ArrayList<>(info.files().size());
        for (TorrentFile f : info.files()) {
            List<String> parts = components(info, f);
            Path dir = root;
            for (int i = 0; i < parts.size() - 1; i++) {
                dir = dir.resolve(parts.get(i));
                if (Files.isSymbolicLink(dir)) {
                    throw new IOException("refusing to write through symbolic link " + dir);
                }
                if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectory(dir);
                } else if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    throw new IOException(dir + " exists and is not a directory");
                }
            }
            Path file = resolve(root, parts);
            if (Files.isSymbolicLink(file)) {
                throw new IOException("refusing to write through symbolic link " + file);
            }
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)
                    && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(file + " exists and is not a regular file");
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                if (ch.size() > f.length()) {
                    ch.truncate(f.length());
                }
            }
            out.add(file);
        }
        return out;
    }

    private static List<String> components(Info info, TorrentFile f) {
        List<String> parts = new ArrayList<>();
        parts.add(info.name());
        if (!info.isSingleFile()) {
            parts.addAll(f.path());
        }
        for (String c : parts) {
            if (c.isEmpty() || c.equals(".") || c.equals("..") || c.indexOf('/') >= 0
                    || c.indexOf('\\') >= 0 || c.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("unsafe path component '" + c + "' in torrent");
            }
        }
        return parts;
    }

    private static Path resolve(Path root, List<String> parts) {
        Path p = root;
        for (String c : parts) {
            p = p.resolve(c);
        }
        p = p.normalize();
        if (!p.startsWith(root) || p.equals(root)) {
            throw new IllegalArgumentException("torrent path " + parts + " leaves " + root);
        }
        return p;
    }
}
