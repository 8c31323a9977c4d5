package dev.appservice.operator.testing.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The apimachinery string formats and quantities, valid and invalid examples of each. */
class NameFormatsTest {

    @ParameterizedTest(name = "{0} ''{1}'' valid={2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "dns1123Label|web-1|true",
                "dns1123Label|Web|false",
                "dns1123Label|-web|false",
                "dns1123Label|a.b|false",
                "dns1123Subdomain|a.b-c.d|true",
                "dns1123Subdomain|a..b|false",
                "dns1123Subdomain|a_b|false",
                "dns1035Label|vip-1|true",
                "dns1035Label|1-vip|false",
                "qualifiedName|app.kubernetes.io/name|true",
                "qualifiedName|Name_1.x|true",
                "qualifiedName|/name|false",
                "qualifiedName|a/b/c|false",
                "qualifiedName|EXAMPLE.com/x|false",
                "qualifiedName|a b|false",
                "labelValue|v1.2_3|true",
                "labelValue|-v|false",
                "labelValue|a b|false",
                "ianaServiceName|app-0|true",
                "ianaServiceName|http2|true",
                "ianaServiceName|a--b|false",
                "ianaServiceName|8080|false",
                "ianaServiceName|sixteen-chars-ab|false",
                "ianaServiceName|App|false",
                "configMapKey|nginx.conf|true",
                "configMapKey|.hidden|true",
                "configMapKey|..data|false",
                "configMapKey|a/b|false",
                "environmentVariableName|my.var-1|true",
                "environmentVariableName|A=B|false",
                "environmentVariableName|ÄB|false",
                "cidr|10.0.0.0/8|true",
                "cidr|fd00::/8|true",
                "cidr|10.0.0.0/33|false",
                "cidr|10.0.0.0|false",
                "cidr|010.0.0.0/8|false",
                "ipAddress|10.1.2.3|true",
                "ipAddress|2001:db8::1|true",
                "ipAddress|10.1.2.256|false",
                "ipAddress|host|false"
            })
    void formats(String format, String value, boolean valid) throws Exception {
        @SuppressWarnings("unchecked")
        var messages = (java.util.List<String>)
                NameFormats.class.getMethod(format, String.class).invoke(null, value);
        assertThat(messages.isEmpty()).as(String.valueOf(messages)).isEqualTo(valid);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({"500m,0.5", "1,1", "1792Mi,1879048192", "2Gi,2147483648", "1e3,1000", "1.5k,1500", "0.1,0.1", ".5,0.5"})
    void quantities(String text, String value) {
        assertThat(Quantities.parse(text))
                .hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo(new BigDecimal(value)));
    }

    @ParameterizedTest(name = "{0} is no quantity")
    @CsvSource({"half", "1KB", "1 Gi", "Mi", "1.2.3", "''"})
    void notQuantities(String text) {
        assertThat(Quantities.parse(text)).isEmpty();
    }
}
