package io.swarmcdn.torrent.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmcdn.torrent.metainfo.InfoHash;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class AnnounceResponseTest {

    private static byte[] bytes(String latin1) {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void parsesCompactIpv4AndIpv6Peers() {
        // BEP 23: 127.0.0.1:6881 and 10.0.0.2:80; BEP 7: [::1]:6882
        String v4 = "\u007f\u0000\u0000\u0001\u001a\u00e1" + "\n\u0000\u0000\u0002\u0000\u0050";
        String v6 = "\u0000".repeat(15) + "\u0001" + "\u001a\u00e2";
        byte[] body = bytes("d8:completei3e10:incompletei1e8:intervali1800e12:min intervali60e5:peers12:"
                + v4 + "6:peers618:" + v6 + "e");
        AnnounceResponse r = AnnounceResponse.parse(body);
        assertThat(r.isFailure()).isFalse();
        assertThat(r.interval()).isEqualTo(1800);
        assertThat(r.minInterval()).isEqualTo(60);
        assertThat(r.complete()).isEqualTo(3);
        assertThat(r.incomplete()).isEqualTo(1);
        assertThat(r.peers()).containsExactly(new PeerAddress("127.0.0.1", 6881),
                new PeerAddress("10.0.0.2", 80), new PeerAddress("0:0:0:0:0:0:0:1", 6882));
    }

    @Test
    void parsesTheOriginalDictionaryPeerList() {
        byte[] body = bytes("d8:intervali60e5:peersld2:ip9:127.0.0.17:peer id20:aaaaaaaaaaaaaaaaaaaa"
                + "4:porti6881eed2:ip4:host4:porti0eeee");
        AnnounceResponse r = AnnounceResponse.parse(body);
        assertThat(r.peers()).containsExactly(new PeerAddress("127.0.0.1", 6881)); // port 0 dropped
    }

    @Test
    void failureReasonIsAFailureResponse() {
        AnnounceResponse r = AnnounceResponse.parse(bytes("d14:failure reason9:forbiddene"));
        assertThat(r.isFailure()).isTrue();
        assertThat(r.failureReason()).isEqualTo("forbidden");
        assertThat(r.peers()).isEmpty();
    }

    @Test
    void malformedRepliesAreClearErrors() {
        assertThatThrownBy(() -> AnnounceResponse.parse(bytes("<html>")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not bencode");
        assertThatThrownBy(() -> AnnounceResponse.parse(bytes("le")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a dictionary");
        assertThatThrownBy(() -> AnnounceResponse.parse(bytes("d5:peers0:e")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("interval");
        assertThatThrownBy(() -> AnnounceResponse.parse(bytes("d8:intervali1e5:peers5:abcdee")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiple of 6");
        assertThatThrownBy(() -> AnnounceResponse.parse(bytes("d8:intervali1e5:peersi3ee")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AnnounceResponse.parse(new byte[AnnounceResponse.MAX_BODY_BYTES + 1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds");
    }

    @Test
    void encodeRoundTripsThroughParse() {
        List<PeerAddress> peers = List.of(new PeerAddress("127.0.0.1", 40000),
                new PeerAddress("192.168.1.255", 1));
        AnnounceResponse r = AnnounceResponse.parse(AnnounceResponse.of(30, peers).encode());
        assertThat(r.interval()).isEqualTo(30);
        assertThat(r.peers()).isEqualTo(peers);
        assertThat(AnnounceResponse.parse(AnnounceResponse.failure("nope").encode()).failureReason())
                .isEqualTo("nope");
        assertThatThrownBy(() -> AnnounceResponse.of(30, List.of(new PeerAddress("::1", 1))).encode())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void requestUrlPercentEncodesRawBytes() {
        byte[] hash = new byte[20];
        hash[0] = (byte) 0xe7;
        hash[1] = 'z';
        hash[2] = ' ';
        byte[] peerId = "-SW0001-abcdefghijkl".getBytes(StandardCharsets.US_ASCII);
        AnnounceRequest req = new AnnounceRequest(InfoHash.of(hash), peerId, 6881, 1, 2, 3,
                AnnounceRequest.Event.STARTED, 50);
        assertThat(req.toUrl("http://t/announce?key=1")).isEqualTo("http://t/announce?key=1"
                + "&info_hash=%E7z%20" + "%00".repeat(17)
                + "&peer_id=-SW0001-abcdefghijkl&port=6881&uploaded=1&downloaded=2&left=3"
                + "&compact=1&event=started&numwant=50");
    }

    @Test
    void peerAddressParsesCommandLineForms() {
        assertThat(PeerAddress.parse("127.0.0.1:6881")).isEqualTo(new PeerAddress("127.0.0.1", 6881));
        assertThat(PeerAddress.parse("[::1]:80")).isEqualTo(new PeerAddress("::1", 80));
        assertThat(PeerAddress.parse("[::1]:80").toString()).isEqualTo("[::1]:80");
        for (String bad : List.of("host", "host:", ":1", "::1:80", "h:0", "h:65536", "h:x")) {
            assertThatThrownBy(() -> PeerAddress.parse(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
