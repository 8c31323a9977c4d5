package dev.appservice.operator.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The ports of an environment's VIP and the container ports the front ends serve them on. The
 * front ends run unprivileged, so each VIP port below 1024 maps to 8000 + port. This one table
 * drives the front-end Services, the nginx configuration and the NSG compiler.
 */
public final class VipPorts {
    public static final int HTTP = 80;
    public static final int HTTPS = 443;
    public static final int MANAGEMENT = 454;
    public static final int MANAGEMENT_SECONDARY = 455;

    /** A VIP port served by the front ends. */
    public record Mapping(String name, int vipPort, int containerPort) {}

    private VipPorts() {}

    public static int containerPort(int vipPort) {
        return 8000 + vipPort;
    }

    /** Every VIP port the front ends serve, HTTPS only with TLS. */
    public static List<Mapping> served(boolean tls) {
        List<Mapping> ports = new ArrayList<>();
        ports.add(new Mapping("http", HTTP, containerPort(HTTP)));
        if (tls) {
            ports.add(new Mapping("https", HTTPS, containerPort(HTTPS)));
        }
        ports.add(new Mapping("management", MANAGEMENT, containerPort(MANAGEMENT)));
        ports.add(new Mapping("management-2", MANAGEMENT_SECONDARY, containerPort(MANAGEMENT_SECONDARY)));
        return ports;
    }
}
