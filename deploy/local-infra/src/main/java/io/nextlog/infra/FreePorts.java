package io.nextlog.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Picks free TCP ports on the loopback interface. */
final class FreePorts {

    private FreePorts() {}

    /**
     * Returns a port that was free on 127.0.0.1 a moment ago. Another process may take it before
     * the caller binds it; callers start their server right away to keep that window short.
     */
    static int loopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }
}
