package io.swarmcdn.torrent.peerwire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ExtensionMessagesTest {

    @Test
    void extendedHandshakeRoundTrips() {
        byte[] encoded = new ExtensionHandshake(3, 12345, 250, "SwarmCDN 0.1").encode();
        assertThat(new String(encoded, StandardCharsets.ISO_8859_1)).isEqualTo(
                "d1:md11:ut_metadatai3ee13:metadata_sizei12345e4:reqqi250e1:v12:SwarmCDN 0.1e");
        ExtensionHandshake h = ExtensionHandshake.parse(encoded, 0, encoded.length);
        assertThat(h.utMetadataId()).isEqualTo(3);
        assertThat(h.metadataSize()).isEqualTo(12345);
        assertThat(h.requestQueue()).isEqualTo(250);
        assertThat(h.client()).isEqualTo("SwarmCDN 0.1");
    }

    @Test
    void extendedHandshakeIgnoresUnknownKeysAndRejectsGarbage() {
        byte[] libtorrentLike = ("d1:ei0e1:md11:lt_donthavei7e6:ut_pexi1ee4:reqqi500e"
                + "11:upload_onlyi0e1:v16:libtorrent/2.0.0e").getBytes(StandardCharsets.ISO_8859_1);
        ExtensionHandshake h = ExtensionHandshake.parse(libtorrentLike, 0, libtorrentLike.length);
        assertThat(h.utMetadataId()).isZero();
        assertThat(h.metadataSize()).isEqualTo(-1);
        byte[] garbage = "d1:m".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> ExtensionHandshake.parse(garbage, 0, garbage.length))
                .isInstanceOf(PeerProtocolException.class);
        byte[] negative = "d13:metadata_sizei-5ee".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> ExtensionHandshake.parse(negative, 0, negative.length))
                .isInstanceOf(PeerProtocolException.class).hasMessageContaining("not positive");
    }

    @Test
    void metadataMessagesRoundTripWithTrailingData() {
        byte[] info = new byte[20_000];
        info[16384] = 7;
        byte[] data = MetadataMessage.data(1, info.length, info, 16384, info.length - 16384);
        MetadataMessage m = MetadataMessage.parse(data, 0, data.length);
        assertThat(m.type()).isEqualTo(MetadataMessage.DATA);
        assertThat(m.piece()).isEqualTo(1);
        assertThat(m.totalSize()).isEqualTo(20_000);
        assertThat(m.data()).hasSize(20_000 - 16384);
        assertThat(m.data()[0]).isEqualTo((byte) 7);
        byte[] req = MetadataMessage.request(0);
        assertThat(MetadataMessage.parse(req, 0, req.length).type()).isEqualTo(MetadataMessage.REQUEST);
        byte[] rej = MetadataMessage.reject(9);
        assertThat(MetadataMessage.parse(rej, 0, rej.length).piece()).isEqualTo(9);
    }

    @Test
    void metadataPieceLargerThan16KiBIsAViolation() {
        byte[] info = new byte[16385];
        byte[] data = MetadataMessage.data(0, info.length, info, 0, info.length);
        assertThatThrownBy(() -> MetadataMessage.parse(data, 0, data.length))
                .isInstanceOf(PeerProtocolException.class).hasMessageContaining("16385");
    }
}
