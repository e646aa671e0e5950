// The worked examples of the lectures (../shared/DOMAIN.md) as table tests.
import CNNSpec
import XCTest

final class LectureExampleTests: XCTestCase {
    func testConvLayerOf760Parameters() throws {
        let p = try plan("input 32x32x3\nconv(5x5, 10, pad: 2)")
        XCTAssertEqual(p.output, Shape(c: 10, h: 32, w: 32))
        XCTAssertEqual(p.totals.params, 760)
        XCTAssertEqual(p.layers[0].weights.map(\.shape), [[10, 3, 5, 5], [10]])
        // 76 weights per filter: 5*5*3 + 1.
        XCTAssertEqual(p.totals.params / 10, 5 * 5 * 3 + 1)
    }

    func testSevenBySevenWithStrides() throws {
        XCTAssertEqual(try plan("input 7x7x1\nconv(3x3, 1)").output, Shape(c: 1, h: 5, w: 5))
        XCTAssertEqual(try plan("input 7x7x1\nconv(3x3, 1, stride: 2)").output, Shape(c: 1, h: 3, w: 3))
        XCTAssertEqual(try plan("input 7x7x1\nconv(3x3, 1, pad: 1)").output, Shape(c: 1, h: 7, w: 7))
        let r = check("input 7x7x1\nconv(3x3, 1, stride: 3)")
        XCTAssertNil(r.plan)
        let e = try XCTUnwrap(r.diagnostics.first { $0.severity == .error })
        XCTAssertEqual(e.id, "size-not-integer")
        XCTAssertTrue(e.message.contains("(7 - 3 + 2*0)/3 + 1 = 2.33"), e.message)
        XCTAssertEqual(e.range?.start, SourceLocation(line: 2, column: 1))
        // PyTorch's floor is an explicit opt-in.
        XCTAssertEqual(try plan("input 7x7x1\nconv(3x3, 1, stride: 3, round: floor)").output.h, 2)
    }

    func testPaddingThatKeepsTheSize() throws {
        for (k, p) in [(3, 1), (5, 2), (7, 3)] {
            XCTAssertEqual(try plan("input 32x32x3\nconv(\(k)x\(k), 8, pad: \(p))").output.h, 32)
            XCTAssertEqual(try plan("input 32x32x3\nconv(\(k)x\(k), 8, pad: same)").output.h, 32)
        }
        // Halving with a 3x3 kernel: stride 2, pad 1.
        XCTAssertEqual(try plan("input 32x32x3\nconv(3x3, 8, stride: 2, pad: 1, round: floor)").output.h, 16)
    }

    func testShrinksTooFast() throws {
        let p = try plan("input 32x32x3\nconv(5x5, 6) - conv(5x5, 10)")
        XCTAssertEqual(p.layers.map(\.output), [Shape(c: 6, h: 28, w: 28), Shape(c: 10, h: 24, w: 24)])
        XCTAssertEqual(p.layers[1].weights[0].shape, [10, 6, 5, 5])
    }

    func testSmallExamples() throws {
        XCTAssertEqual(try plan("input 4x4x1\nconv(3x3, 1)").output, Shape(c: 1, h: 2, w: 2))
        XCTAssertEqual(try plan("input 28x28x1\nconv(3x3, 1)").output.h, 26)
        XCTAssertEqual(try plan("input 28x28x1\nconv(5x5, 1)").output.h, 24)
        let p = try plan("input 32x32x3\nconv(3x3, 5) - conv(4x4, 3)")
        XCTAssertEqual(p.layers.map(\.output), [Shape(c: 5, h: 30, w: 30), Shape(c: 3, h: 27, w: 27)])
        XCTAssertEqual(p.layers[1].weights[0].shape, [3, 5, 4, 4])
    }

    func testHundredByHundredFanIn() throws {
        let p = try plan("input 100x100x3\n(conv(3x3, 5) - relu)*5 - fc(10)")
        XCTAssertEqual(p.layers[p.layers.count - 2].output, Shape(c: 5, h: 90, w: 90))
        let fc = try XCTUnwrap(p.layers.last)
        XCTAssertEqual(fc.weights[0].shape, [10, 40_500])
        XCTAssertTrue(p.warnings.contains { $0.id == "fc-dominates" })
    }

    func testThreeThreeByThreeSeeLikeOneSevenBySeven() throws {
        let p = try plan("input 32x32x1\nconv(3x3, 1, pad: 1)*3")
        XCTAssertEqual(p.layers.map(\.rf.size.h), [3, 5, 7])
        let one = try plan("input 32x32x1\nconv(7x7, 1, pad: 3)")
        XCTAssertEqual(one.layers[0].rf.size.h, 7)
        // Weights per channel pair: 3 * 9 = 27 against 49, without biases.
        XCTAssertEqual(try plan("input 32x32x1\nconv(3x3, 1, pad: 1, bias: no)*3").totals.params, 27)
        XCTAssertEqual(try plan("input 32x32x1\nconv(7x7, 1, pad: 3, bias: no)").totals.params, 49)
    }

    func testDilationGrowsTheField() throws {
        let p = try plan("input 32x32x1\nconv(3x3, 1, dilation: 2, pad: 2)")
        XCTAssertEqual(p.output.h, 32)
        XCTAssertEqual(p.layers[0].rf.size.h, 5)
    }

    func testHomeworkShapes() throws {
        let p = try plan("input 5x5x1\nconv(3x3, 1, stride: 2) - relu - maxpool(2x2, stride: 2)")
        XCTAssertEqual(p.layers.map(\.output.h), [2, 2, 1])
    }

    func testMaxPoolExample() throws {
        let p = try plan("input 4x4x1\nmaxpool(2x2, stride: 2)")
        XCTAssertEqual(p.output, Shape(c: 1, h: 2, w: 2))
        XCTAssertEqual(p.totals.params, 0)
    }

    func testCeilModeDropsAWindowThatStartsInThePadding() throws {
        // PyTorch: MaxPool2d(3, 2, ceil_mode=True) on 112 -> 56; on 7 -> 3; (5, pad 1, k2 s2) -> 3.
        XCTAssertEqual(try plan("input 112x112x1\nmaxpool(3x3, stride: 2, round: ceil)").output.h, 56)
        XCTAssertEqual(try plan("input 7x7x1\nmaxpool(3x3, stride: 2, round: ceil)").output.h, 3)
        XCTAssertEqual(try plan("input 6x6x1\nmaxpool(2x2, stride: 2, pad: 1, round: ceil)").output.h, 4)
        XCTAssertEqual(try plan("input 5x5x1\nmaxpool(2x2, stride: 2, pad: 1, round: ceil)").output.h, 3)
        XCTAssertEqual(try plan("input 14x14x1\nmaxpool(3x3, stride: 2, round: ceil)").output.h, 7)
    }
}
