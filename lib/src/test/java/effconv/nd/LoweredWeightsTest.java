package effconv.nd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import effconv.lower.Fusions;
import effconv.lower.Lowering;
import effconv.models.Model;
import effconv.models.Models;

/**
 * The lowering lists weights in the order, and with the shapes, that NdLayer has always drawn them: the contract
 * that lets every engine look weights up by name and still give a seed's old numbers.
 */
class LoweredWeightsTest {

    @Test
    void theLoweringsWeightsAreNdLayersInItsOrder() {
        for (Model m : List.of(Models.alexnet(2), Models.squeezenet(224), Models.mobilenetV2(0.5, 96),
                Models.shufflenetV1(3, 0.5), Models.xception(false))) {
            List<String> lowered = Lowering.lower(m.body(), m.input(), Fusions.all()).weights().stream()
                    .map(w -> Arrays.toString(w.shape())).toList();
            List<String> nd = NdLayer.init(m.body(), 1).weights().stream().map(a -> Arrays.toString(a.shape()))
                    .toList();
            assertEquals(nd, lowered, m.name());
        }
    }
}
