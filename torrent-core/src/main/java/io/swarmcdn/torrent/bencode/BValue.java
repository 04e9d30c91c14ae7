package io.swarmcdn.torrent.bencode;

/**
 * A bencoded value (BEP 3): a byte string, an integer, a list or a dictionary.
 *
 * <p>Values are immutable. {@link BencodeEncoder#encode(BValue)} turns one into bytes; {@link
 * BencodeDecoder} turns canonical bytes back into the equal value, so a decode/encode round trip
 * is byte-exact.
 */
public sealed interface BValue permits BString, BInteger, BList, BDictionary {}
