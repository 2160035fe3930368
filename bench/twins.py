"""The PyTorch twins of the course's networks and blocks: the same layers, in the same order, as the helper's specs
(effconv.models, effconv.train.TinyNet). One definition for both programs that need them: the golden-file maker
(tools/authoring/make_golden.py: a seeded twin's weights, input and output, which GoldenTest checks ND4J against)
and ./course bench's PyTorch side (bench/pytorch_bench.py). A twin's modules are made in its layers' order, so a
seed draws the same weights, and its state_dict lists them in PyTorch's order (weight, bias; batch norm's weight,
bias, running mean, running variance), which NdLayer.withWeights takes.

Needs PyTorch (Debian: apt-get install python3-torch).
"""
import torch
from torch import nn


class Shuffle(nn.Module):
    def __init__(self, groups):
        super().__init__()
        self.groups = groups

    def forward(self, x):
        n, c, h, w = x.shape
        return x.view(n, self.groups, c // self.groups, h, w).transpose(1, 2).contiguous().view(n, c, h, w)


def conv_bn_relu(i, o, k, stride=1, padding=0, groups=1, relu=True):
    layers = [nn.Conv2d(i, o, k, stride, padding, groups=groups, bias=False), nn.BatchNorm2d(o)]
    return layers + [nn.ReLU(inplace=False)] if relu else layers


class Fire(nn.Module):  # SqueezeNet 1.0's, as torchvision defines it
    def __init__(self, i, s, e1, e3):
        super().__init__()
        self.squeeze = nn.Conv2d(i, s, 1)
        self.expand1x1 = nn.Conv2d(s, e1, 1)
        self.expand3x3 = nn.Conv2d(s, e3, 3, padding=1)

    def forward(self, x):
        x = torch.relu(self.squeeze(x))
        return torch.cat([torch.relu(self.expand1x1(x)), torch.relu(self.expand3x3(x))], 1)


class InvertedResidual(nn.Module):
    """Sandler et al. 2018, as effconv.InvertedResidual: expand (unless t = 1), depthwise, project; added back when
    the shapes allow."""

    def __init__(self, i, o, t, stride):
        super().__init__()
        h = i * t
        layers = [] if t == 1 else [nn.Conv2d(i, h, 1, bias=False), nn.BatchNorm2d(h), nn.ReLU6()]
        layers += [nn.Conv2d(h, h, 3, stride, 1, groups=h, bias=False), nn.BatchNorm2d(h), nn.ReLU6(),
                   nn.Conv2d(h, o, 1, bias=False), nn.BatchNorm2d(o)]
        self.body = nn.Sequential(*layers)
        self.residual = stride == 1 and i == o

    def forward(self, x):
        return x + self.body(x) if self.residual else self.body(x)


class ShuffleUnit(nn.Module):
    """Zhang et al. 2017, Fig. 2 (b) and (c), as effconv.ShuffleUnit."""

    def __init__(self, i, o, g, stride, grouped_first):
        super().__init__()
        m = o // 4
        branch_out = o - i if stride == 2 else o
        self.stride = stride
        self.branch = nn.Sequential(
            *conv_bn_relu(i, m, 1, groups=g if grouped_first else 1), Shuffle(g),
            *conv_bn_relu(m, m, 3, stride, 1, groups=m, relu=False),
            *conv_bn_relu(m, branch_out, 1, groups=g, relu=False))
        self.pool = nn.AvgPool2d(3, 2, 1) if stride == 2 else None

    def forward(self, x):
        y = self.branch(x)
        y = torch.cat((self.pool(x), y), 1) if self.stride == 2 else x + y
        return torch.relu(y)


class TinyUnit(nn.Module):
    """A unit of effconv.train.TinyNet's shufflenet-tiny: grouped 1×1, BN, ReLU, shuffle, depthwise 3×3, BN,
    grouped 1×1, BN, ReLU."""

    def __init__(self, i, o, stride, g):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(i, o, 1, groups=g, bias=False), nn.BatchNorm2d(o), nn.ReLU(),
                                  Shuffle(g), nn.Conv2d(o, o, 3, stride, 1, groups=o, bias=False), nn.BatchNorm2d(o),
                                  nn.Conv2d(o, o, 1, groups=g, bias=False), nn.BatchNorm2d(o), nn.ReLU())

    def forward(self, x):
        return self.body(x)


def mobilenet_v1():
    """Howard et al. 2017, Table 1, as effconv.Models.mobilenetV1(1.0, 224)."""
    blocks = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2), (512, 1), (512, 1), (512, 1), (512, 1),
              (512, 1), (1024, 2), (1024, 1)]
    layers = conv_bn_relu(3, 32, 3, 2, 1)
    c = 32
    for out, stride in blocks:
        layers += conv_bn_relu(c, c, 3, stride, 1, groups=c) + conv_bn_relu(c, out, 1)
        c = out
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c, 1000))


def shufflenet_v1(g=3):
    """ShuffleNet 1x with g = 3 (Table 1), as effconv.Models.shufflenetV1(3, 1.0)."""
    widths = {1: (144, 288, 576), 2: (200, 400, 800), 3: (240, 480, 960), 4: (272, 544, 1088), 8: (384, 768, 1536)}
    layers = conv_bn_relu(3, 24, 3, 2, 1) + [nn.MaxPool2d(3, 2, 1)]
    c = 24
    for stage, (out, repeats) in enumerate(zip(widths[g], (3, 7, 3))):
        layers.append(ShuffleUnit(c, out, g, 2, stage > 0))
        layers += [ShuffleUnit(out, out, g, 1, True) for _ in range(repeats)]
        c = out
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c, 1000))


def mobilenet_v2():
    """MobileNetV2 1.0 at 224 (Table 2), as effconv.Models.mobilenetV2(1.0, 224)."""
    settings = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2),
                (6, 320, 1, 1)]
    layers = [nn.Conv2d(3, 32, 3, 2, 1, bias=False), nn.BatchNorm2d(32), nn.ReLU6()]
    c = 32
    for t, out, n, s in settings:
        for i in range(n):
            layers.append(InvertedResidual(c, out, t, s if i == 0 else 1))
            c = out
    layers += [nn.Conv2d(c, 1280, 1, bias=False), nn.BatchNorm2d(1280), nn.ReLU6()]
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(1280, 1000))


def shufflenet_tiny(g=4, w=48):
    """The training lessons' tiny ShuffleNet (effconv.train.TinyNet.shuffleNet(g)), for the training case."""
    return nn.Sequential(nn.Conv2d(1, 24, 3, 2, 1, bias=False), nn.BatchNorm2d(24), nn.ReLU(),
                         TinyUnit(24, w, 2, g), TinyUnit(w, 2 * w, 1, g), TinyUnit(2 * w, 2 * w, 1, g),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(2 * w, 10))


def alexnet_tiny(g=4):
    """The training lessons' tiny AlexNet (effconv.train.TinyNet.alexNet(g)): five 3×3 convolutions with batch norm
    and ReLU, 16, 32, 64, 64, 64 channels, grouped where AlexNet's were (the 2nd, 4th and 5th), max pooling after the
    first two, global average pooling and a classifier."""
    widths, layers, c = (16, 32, 64, 64, 64), [], 1
    for i, w in enumerate(widths):
        layers += [nn.Conv2d(c, w, 3, 1, 1, groups=g if i in (1, 3, 4) else 1, bias=False), nn.BatchNorm2d(w),
                   nn.ReLU()]
        if i < 2:
            layers.append(nn.MaxPool2d(2, 2))
        c = w
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c, 10))
