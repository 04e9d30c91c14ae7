package io.swarmcdn.torrent.engine;

/**
 * Tunables of a {@link TorrentEngine}. Defaults follow common client practice (libtorrent,
 * BEP 3's choking description); tests shorten the timers.
 */
public final class EngineConfig {

    /** The defaults listed on each builder method. */
    public static final EngineConfig DEFAULT = builder().build();

    final int uploadSlots;
    final long chokeIntervalMillis;
    final int optimisticEveryRounds;
    final long requestTimeoutMillis;
    final int minPipeline;
    final int maxPipeline;
    final int pipelineSeconds;
    final int maxIncomingRequests;
    final long uploadHighWaterBytes;
    final int hashFailuresToBan;
    final int maxPiecesHashing;
    final int maxMetadataSize;
    final long keepAliveMillis;
    final long idleTimeoutMillis;
    final String clientName;
    final boolean fastExtension;
    final boolean extensionProtocol;

    private EngineConfig(Builder b) {
        uploadSlots = b.uploadSlots;
        chokeIntervalMillis = b.chokeIntervalMillis;
        optimisticEveryRounds = b.optimisticEveryRounds;
        requestTimeoutMillis = b.requestTimeoutMillis;
        minPipeline = b.minPipeline;
        maxPipeline = b.maxPipeline;
        pipelineSeconds = b.pipelineSeconds;
        maxIncomingRequests = b.maxIncomingRequests;
        uploadHighWaterBytes = b.uploadHighWaterBytes;
        hashFailuresToBan = b.hashFailuresToBan;
        maxPiecesHashing = b.maxPiecesHashing;
        maxMetadataSize = b.maxMetadataSize;
        keepAliveMillis = b.keepAliveMillis;
        idleTimeoutMillis = b.idleTimeoutMillis;
        clientName = b.clientName;
        fastExtension = b.fastExtension;
        extensionProtocol = b.extensionProtocol;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Fluent builder; every setter documents its default. */
    public static final class Builder {

        private int uploadSlots = 4;
        private long chokeIntervalMillis = 10_000;
        private int optimisticEveryRounds = 3;
        private long requestTimeoutMillis = 20_000;
        private int minPipeline = 16;
        private int maxPipeline = 500;
        private int pipelineSeconds = 3;
        private int maxIncomingRequests = 500;
        private long uploadHighWaterBytes = 1 << 20;
        private int hashFailuresToBan = 2;
        private int maxPiecesHashing = 8;
        private int maxMetadataSize = 16 << 20;
        private long keepAliveMillis = 60_000;
        private long idleTimeoutMillis = 180_000;
        private String clientName = "SwarmCDN 0.1";
        private boolean fastExtension = true;
        private boolean extensionProtocol = true;

        private Builder() {
        }

        /** Regular unchoke slots, filled by rate (default 4, BEP 3 "four"). */
        public Builder uploadSlots(int n) {
            uploadSlots = positive(n, "uploadSlots");
            return this;
        }

        /** How often the choker re-ranks peers (default 10 s, as in BEP 3). */
        public Builder chokeIntervalMillis(long ms) {
            chokeIntervalMillis = positive(ms, "chokeIntervalMillis");
            return this;
        }

        /** The optimistic slot moves to the next peer every N choke rounds (default 3 = 30 s). */
        public Builder optimisticEveryRounds(int n) {
            optimisticEveryRounds = positive(n, "optimisticEveryRounds");
            return this;
        }

        /**
         * A peer that delivers nothing for this long while we wait on its requests is snubbed:
         * its requests are abandoned and re-requested elsewhere (default 20 s).
         */
        public Builder requestTimeoutMillis(long ms) {
            requestTimeoutMillis = positive(ms, "requestTimeoutMillis");
            return this;
        }

        /** Fewest 16 KiB requests kept in flight to an unchoking peer (default 16). */
        public Builder minPipeline(int n) {
            minPipeline = positive(n, "minPipeline");
            return this;
        }

        /** Most requests in flight to one peer, also bounded by its {@code reqq} (default 500). */
        public Builder maxPipeline(int n) {
            maxPipeline = positive(n, "maxPipeline");
            return this;
        }

        /** The pipeline holds this many seconds of the peer's measured rate (default 3). */
        public Builder pipelineSeconds(int n) {
            pipelineSeconds = positive(n, "pipelineSeconds");
            return this;
        }

        /** Requests a peer may queue at us; we announce it as {@code reqq} (default 500). */
        public Builder maxIncomingRequests(int n) {
            maxIncomingRequests = positive(n, "maxIncomingRequests");
            return this;
        }

        /** Serving pauses while a link buffers more than this (default 1 MiB). */
        public Builder uploadHighWaterBytes(long n) {
            uploadHighWaterBytes = positive(n, "uploadHighWaterBytes");
            return this;
        }

        /** A peer alone in this many failed pieces is banned (default 2). */
        public Builder hashFailuresToBan(int n) {
            hashFailuresToBan = positive(n, "hashFailuresToBan");
            return this;
        }

        /**
         * With an asynchronous {@link PieceHasher}: while this many complete pieces wait for their
         * digest, no new blocks are requested, so memory stays bounded when hashing is slower than
         * the network (default 8).
         */
        public Builder maxPiecesHashing(int n) {
            maxPiecesHashing = positive(n, "maxPiecesHashing");
            return this;
        }

        /** Largest info dictionary fetched with BEP 9 (default 16 MiB). */
        public Builder maxMetadataSize(int n) {
            maxMetadataSize = positive(n, "maxMetadataSize");
            return this;
        }

        /** A keep-alive goes out after this long without sending (default 60 s). */
        public Builder keepAliveMillis(long ms) {
            keepAliveMillis = positive(ms, "keepAliveMillis");
            return this;
        }

        /** A peer silent for this long is closed (default 180 s; BEP 3 suggests 2 minutes+). */
        public Builder idleTimeoutMillis(long ms) {
            idleTimeoutMillis = positive(ms, "idleTimeoutMillis");
            return this;
        }

        /** The {@code v} of our BEP 10 handshake (default "SwarmCDN 0.1"). */
        public Builder clientName(String name) {
            clientName = name;
            return this;
        }

        /** Announce BEP 6 Fast extension (default true). */
        public Builder fastExtension(boolean on) {
            fastExtension = on;
            return this;
        }

        /** Announce BEP 10 extension protocol, needed for BEP 9 ut_metadata (default true). */
        public Builder extensionProtocol(boolean on) {
            extensionProtocol = on;
            return this;
        }

        public EngineConfig build() {
            if (maxPipeline < minPipeline) {
                throw new IllegalArgumentException("maxPipeline < minPipeline");
            }
            return new EngineConfig(this);
        }

        private static int positive(int n, String what) {
            if (n <= 0) {
                throw new IllegalArgumentException(what + " must be positive: " + n);
            }
            return n;
        }

        private static long positive(long n, String what) {
            if (n <= 0) {
                throw new IllegalArgumentException(what + " must be positive: " + n);
            }
            return n;
        }
    }
}
