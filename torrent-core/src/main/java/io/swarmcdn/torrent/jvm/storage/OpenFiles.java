package io.swarmcdn.torrent.jvm.storage;

import io.swarmcdn.torrent.storage.StorageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The open channels of a torrent's files, at most {@link #MAX_OPEN} at a time (least recently
 * used closed first), so that a torrent of thousands of files cannot exhaust file descriptors.
 */
final class OpenFiles {

    static final int MAX_OPEN = 64;

    private final List<Path> paths;
    private final OpenOption[] options;
    private final LinkedHashMap<Integer, FileChannel> open = new LinkedHashMap<>(16, 0.75f, true);

    /**
     * @param writable true for files this process created for a download: opened read-write and
     *     never through a symbolic link; false for files a user pointed us at to seed (read-only,
     *     links allowed: the user chose them)
     */
    OpenFiles(List<Path> paths, boolean writable) {
        this.paths = paths;
        this.options = writable
                ? new OpenOption[] {StandardOpenOption.READ, StandardOpenOption.WRITE,
                        StandardOpenOption.CREATE, LinkOption.NOFOLLOW_LINKS}
                : new OpenOption[] {StandardOpenOption.READ};
    }

    List<Path> paths() {
        return paths;
    }

    FileChannel channel(int file) {
        FileChannel ch = open.get(file);
        if (ch != null) {
            return ch;
        }
        if (open.size() >= MAX_OPEN) {
            Iterator<Map.Entry<Integer, FileChannel>> eldest = open.entrySet().iterator();
            closeQuietly(eldest.next().getValue());
            eldest.remove();
        }
        try {
            ch = FileChannel.open(paths.get(file), options);
        } catch (IOException e) {
            throw new StorageException("cannot open " + paths.get(file) + ": " + e, e);
        }
        open.put(file, ch);
        return ch;
    }

    void close() {
        for (FileChannel ch : open.values()) {
            closeQuietly(ch);
        }
        open.clear();
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing a channel we only read or wrote positionally; nothing left to lose
        }
    }
}
