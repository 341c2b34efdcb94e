package io.edgefleet.localstack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/** Free-port helpers on the IPv4 loopback address. */
public final class LoopbackPorts {
    /** The loopback address every service binds to. */
    public static final String HOST = "127.0.0.1";

    private LoopbackPorts() {
    }

    /**
     * Picks {@code count} distinct free ports (all sockets are held open until every port is picked).
     *
     * @throws LocalStackException with {@link LocalStackErrorCode#IO_FAILURE} if no port can be bound
     */
    public static int[] pickFree(int count) {
        List<ServerSocket> held = new ArrayList<>();
        IOException failure = null;
        int[] ports = new int[count];
        try {
            for (int i = 0; i < count; i++) {
                ServerSocket s = new ServerSocket();
                held.add(s);
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
                ports[i] = s.getLocalPort();
            }
        } catch (IOException e) {
            failure = e;
        }
        for (ServerSocket s : held) {
            try {
                s.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw new LocalStackException(LocalStackErrorCode.IO_FAILURE, "cannot pick free loopback ports", failure);
        }
        return ports;
    }

    /** True if something accepts TCP connections on {@code port} of the loopback address. */
    public static boolean isListening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** True if {@code port} can be bound on the loopback address right now. */
    public static boolean isBindable(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
