"""The PyTorch importer on models built here: MACs and weights from arithmetic on the shapes, weights also
from torch's own parameter counts, branches from the module's wiring."""
import pytest
from hypothesis import given, settings, strategies as st

from stationary.core import StationaryError
from stationary.workload import LayerKind

torch = pytest.importorskip("torch")
nn = torch.nn
F = torch.nn.functional
from stationary.workload.importers import from_torch  # noqa: E402


def torch_weight_count(module) -> int:
    """Weights of the MAC layers as torch counts them (matrices and filters; no biases, no norm scales)."""
    return sum(p.numel() for m in module.modules() if isinstance(m, (nn.Conv1d, nn.Conv2d, nn.Linear))
               for p in [m.weight])


class SmallCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 5, padding=2)
        self.pool = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(8, 16, 3)
        self.fc = nn.Linear(16 * 6 * 6, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = F.relu(self.conv2(x))
        return self.fc(torch.flatten(x, 1))


def test_small_cnn_macs_weights_and_chain():
    model = SmallCNN()
    net = from_torch(model, (2, 3, 16, 16), name="small")
    assert [l.name for l in net.layers] == ["conv1", "conv2", "fc"]
    assert [l.kind for l in net.layers] == [LayerKind.CONV, LayerKind.CONV, LayerKind.FC]
    conv1, conv2, fc = net.layers
    # conv1: 16x16 output (pad 2, 5x5), conv2: 8x8 pooled input, 3x3 valid -> 6x6
    assert conv1.macs == 2 * 8 * 16 * 16 * 3 * 5 * 5
    assert conv2.macs == 2 * 16 * 6 * 6 * 8 * 3 * 3
    assert fc.macs == 2 * 10 * 576 and (fc.N, fc.C, fc.M) == (2, 576, 10)
    assert net.weights == 8 * 3 * 25 + 16 * 8 * 9 + 10 * 576 == torch_weight_count(model)
    assert net.inputs == ((), (), ()) and net.input_shape == (3, 16, 16) and net.name == "small"


class BasicBlock(nn.Module):
    """ResNet's basic block: two 3x3 convolutions and a shortcut (a strided 1x1 projection when it downsamples)."""

    def __init__(self, c_in, c_out, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(c_in, c_out, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(c_out)
        self.conv2 = nn.Conv2d(c_out, c_out, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(c_out)
        self.downsample = (nn.Sequential(nn.Conv2d(c_in, c_out, 1, stride=stride, bias=False), nn.BatchNorm2d(c_out))
                           if stride != 1 or c_in != c_out else None)

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        shortcut = x if self.downsample is None else self.downsample(x)
        return F.relu(out + shortcut)


class TinyResNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 16, 3, padding=1, bias=False)
        self.block1 = BasicBlock(16, 16, 1)
        self.block2 = BasicBlock(16, 32, 2)
        self.head = nn.Linear(32, 10)

    def forward(self, x):
        x = self.block2(self.block1(F.relu(self.stem(x))))
        return self.head(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


def test_resnet_basic_blocks_record_the_shortcut_as_a_branch():
    model = TinyResNet()
    net = from_torch(model, (1, 3, 31, 31))
    pred = {l.name: net.predecessors(l.name) for l in net.layers}
    assert pred["block1.conv1"] == ("stem",)
    assert pred["block1.conv2"] == ("block1.conv1",)
    # identity shortcut: block2 reads block1's output, the sum of conv2 and the stem
    assert set(pred["block2.conv1"]) == set(pred["block2.downsample.0"]) == {"stem", "block1.conv2"}
    # projection shortcut: the head reads the sum of block2's conv2 and its 1x1 projection
    assert set(pred["head"]) == {"block2.conv2", "block2.downsample.0"}
    # strided layers on an odd map: floor((31 + 2 - 3) / 2) + 1 = 16, floor((31 - 1) / 2) + 1 = 16
    assert (net["block2.conv1"].E, net["block2.downsample.0"].F) == (16, 16)
    expected = {"stem": 16 * 31 * 31 * 3 * 9, "block1.conv1": 16 * 31 * 31 * 16 * 9,
                "block1.conv2": 16 * 31 * 31 * 16 * 9, "block2.conv1": 32 * 16 * 16 * 16 * 9,
                "block2.conv2": 32 * 16 * 16 * 32 * 9, "block2.downsample.0": 32 * 16 * 16 * 16, "head": 320}
    assert {l.name: l.macs for l in net.layers} == expected
    assert net.weights == torch_weight_count(model)


class SelfAttentionBlock(nn.Module):
    """A pre-norm transformer block: separate Q, K, V projections, heads by reshape, QK^T and AV with @."""

    def __init__(self, d, heads, fused=False):
        super().__init__()
        self.d, self.heads, self.fused = d, heads, fused
        self.norm1, self.norm2 = nn.LayerNorm(d), nn.LayerNorm(d)
        if fused:
            self.qkv = nn.Linear(d, 3 * d)
        else:
            self.q, self.k, self.v = nn.Linear(d, d), nn.Linear(d, d), nn.Linear(d, d)
        self.out = nn.Linear(d, d)
        self.fc1, self.fc2 = nn.Linear(d, 4 * d), nn.Linear(4 * d, d)

    def split(self, t):
        b, n, _ = t.shape
        return t.view(b, n, self.heads, self.d // self.heads).transpose(1, 2)

    def forward(self, x):
        b, n, d = x.shape
        h = self.norm1(x)
        if self.fused:
            q, k, v = self.qkv(h).chunk(3, dim=-1)
            ctx = F.scaled_dot_product_attention(self.split(q), self.split(k), self.split(v))
        else:
            q, k, v = self.split(self.q(h)), self.split(self.k(h)), self.split(self.v(h))
            scores = torch.softmax(q @ k.transpose(-2, -1) / (d // self.heads) ** 0.5, dim=-1)
            ctx = torch.matmul(F.dropout(scores, 0.1, self.training), v)
        x = x + self.out(ctx.transpose(1, 2).reshape(b, n, d))
        return x + self.fc2(F.gelu(self.fc1(self.norm2(x))))


@pytest.mark.parametrize("fused", [False, True])
def test_transformer_block_macs_from_shapes(fused):
    batch, tokens, d, heads = 2, 12, 32, 4
    model = SelfAttentionBlock(d, heads, fused)
    net = from_torch(model, (batch, tokens, d))
    d_head = d // heads
    by_kind = {k: [l for l in net.layers if l.kind is k] for k in LayerKind}
    attention = [l for l in by_kind[LayerKind.MATMUL] if l.G == heads]
    qk, av = attention
    assert (qk.N, qk.G, qk.H, qk.C, qk.M // heads) == (batch, heads, tokens, d_head, tokens)  # Q K^T
    assert (av.N, av.G, av.H, av.C, av.M // heads) == (batch, heads, tokens, tokens, d_head)  # A V
    assert qk.macs == av.macs == batch * heads * tokens * tokens * d_head
    projections = 3 * batch * tokens * d * d                       # Q, K, V
    mlp = 2 * batch * tokens * d * 4 * d
    assert net.macs == projections + 2 * batch * heads * tokens * tokens * d_head + batch * tokens * d * d + mlp
    linear_weights = sum(l.weights for l in net.layers if l.G == 1)
    assert linear_weights == 3 * d * d + d * d + 2 * 4 * d * d == torch_weight_count(model)
    assert not by_kind[LayerKind.FC] and not by_kind[LayerKind.CONV]  # 3-D Linear inputs are token matmuls
    pred = {l.name: set(net.predecessors(l.name)) for l in net.layers}
    if fused:
        assert pred[qk.name] == {"qkv"} and pred[av.name] == {qk.name, "qkv"}
    else:
        assert pred[qk.name] == {"q", "k"} and pred[av.name] == {qk.name, "v"}
    assert pred["out"] == {av.name} and pred["fc2"] == {"fc1"}
    assert pred["fc1"] == {"out"}  # the residual also carries the network input, which is not a layer


@settings(max_examples=30, deadline=None)
@given(c_in=st.sampled_from([2, 4, 6]), mult=st.integers(1, 3), size=st.integers(5, 13), kernel=st.integers(1, 4),
       stride=st.integers(1, 3), pad=st.integers(0, 2), dilation=st.integers(1, 2), depthwise=st.booleans(),
       grouped=st.booleans())
def test_conv_variants_match_torch_output_shape(c_in, mult, size, kernel, stride, pad, dilation, depthwise, grouped):
    groups = c_in if depthwise else (2 if grouped else 1)
    c_out = groups * mult
    if size + 2 * pad < dilation * (kernel - 1) + 1:
        return
    conv = nn.Conv2d(c_in, c_out, kernel, stride=stride, padding=pad, dilation=dilation, groups=groups)
    out = conv(torch.zeros(1, c_in, size, size + 1))
    layer = from_torch(conv, (1, c_in, size, size + 1)).layers[0]
    assert (layer.E, layer.F) == tuple(out.shape[2:])
    assert (layer.G, layer.C) == (groups, c_in // groups)
    assert layer.macs == out.numel() * (c_in // groups) * kernel * kernel
    assert layer.weights == conv.weight.numel()


def test_conv1d_same_padding_and_functional_forms():
    class Functional(nn.Module):
        def __init__(self):
            super().__init__()
            self.c1 = nn.Conv1d(4, 8, 5, padding="same")
            self.w = nn.Parameter(torch.zeros(6, 8, 3))
            self.lw = nn.Parameter(torch.zeros(5, 6))
            self.proj = nn.Parameter(torch.zeros(5, 2))

        def forward(self, x):
            y = F.conv1d(self.c1(x), self.w, stride=2)          # (1, 6, 9) from length 20
            return F.linear(y.transpose(1, 2), self.lw) @ self.proj

    net = from_torch(Functional(), (1, 4, 20))
    c1, c2, lin, proj = net.layers
    assert (c1.H, c1.W, c1.R, c1.S, c1.F) == (1, 20, 1, 5, 20) and c1.macs == 8 * 20 * 4 * 5
    assert (c2.F, c2.U, c2.macs) == (9, 2, 6 * 9 * 8 * 3)
    assert (lin.H, lin.C, lin.M, lin.macs) == (9, 6, 5, 9 * 6 * 5)
    assert proj.macs == 9 * 5 * 2 and proj.weights == 10             # a parameter on the right is weights
    assert net.inputs == ((), (), (), ())


def test_linear_on_2d_is_fc_and_on_3d_is_token_matmul():
    fc = from_torch(nn.Linear(8, 3), (5, 8)).layers[0]
    tok = from_torch(nn.Linear(8, 3), (2, 5, 8)).layers[0]
    assert (fc.kind, fc.N, fc.macs) == (LayerKind.FC, 5, 5 * 8 * 3)
    assert (tok.kind, tok.N, tok.H, tok.E, tok.macs) == (LayerKind.MATMUL, 2, 5, 5, 2 * 5 * 8 * 3)


def test_a_module_called_twice_gives_two_layers():
    class Twice(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(4, 4)

        def forward(self, x):
            return self.fc(F.relu(self.fc(x)))

    net = from_torch(Twice(), (1, 4))
    assert [l.name for l in net.layers] == ["fc", "fc_2"] and net.macs == 2 * 16


def test_unsupported_operators_are_all_listed():
    class Odd(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 4, 3)
            self.up = nn.ConvTranspose2d(4, 4, 2)

        def forward(self, x):
            return torch.einsum("bchw,bchw->bc", self.up(self.conv(x)), self.up(self.conv(x)))

    with pytest.raises(StationaryError) as err:
        from_torch(Odd(), (1, 3, 8, 8))
    text = str(err.value)
    assert "3 unsupported operators" in text and "einsum (node einsum)" in text
    assert "ConvTranspose2d (node up)" in text and "ConvTranspose2d (node up_1)" in text
    assert "Odd" in text and "\n" not in text


def test_unequal_strides_are_reported_not_guessed():
    with pytest.raises(StationaryError, match=r"Conv2d \(node _0: unequal stride \(2, 1\)"):
        from_torch(nn.Sequential(nn.Conv2d(3, 4, 3, stride=(2, 1))), (1, 3, 9, 9))


def test_untraceable_module_and_bad_input_are_clear_errors():
    class Branchy(nn.Module):
        def forward(self, x):
            return x * 2 if x.sum() > 0 else x

    with pytest.raises(StationaryError, match="torch.fx could not trace"):
        from_torch(Branchy(), (1, 3))
    with pytest.raises(StationaryError, match="input_shape"):
        from_torch(nn.Linear(4, 2), (1, 5))
    with pytest.raises(StationaryError, match="no layer with MACs"):
        from_torch(nn.ReLU(), (1, 5))


@pytest.mark.parametrize("make, shape", [(TinyResNet, (1, 3, 15, 15)),
                                         (lambda: SelfAttentionBlock(16, 2), (1, 5, 16))])
def test_torch_and_onnx_importers_agree(make, shape, tmp_path):
    """Two independent routes to the same layers: torch.fx here, torch's ONNX export + ONNX shape inference."""
    onnx = pytest.importorskip("onnx")
    from stationary.workload.importers import from_onnx
    model = make().eval()
    path = tmp_path / "model.onnx"
    try:
        torch.onnx.export(model, (torch.zeros(shape),), str(path), dynamo=False, opset_version=17)
    except Exception as err:  # the exporter's own optional dependencies vary between torch builds
        pytest.skip(f"torch.onnx.export unavailable: {err}")
    ours, theirs = from_torch(model, shape), from_onnx(onnx.load(str(path)))
    assert sorted(l.macs for l in ours.layers) == sorted(l.macs for l in theirs.layers)
    assert sorted(l.weights for l in ours.layers) == sorted(l.weights for l in theirs.layers)
    assert [(l.kind, l.G) for l in ours.layers] == [(l.kind, l.G) for l in theirs.layers]
    def wiring(net):
        index = {l.name: i for i, l in enumerate(net.layers)}
        return [sorted(index[p] for p in net.predecessors(l.name)) for l in net.layers]

    assert wiring(ours) == wiring(theirs)


def test_the_callers_module_keeps_its_training_mode():
    model = SmallCNN().train()
    model.pool.eval()
    from_torch(model, (1, 3, 16, 16))
    assert model.training and model.conv1.training and not model.pool.training
