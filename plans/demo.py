from backbone.demo import DemoWorld

from . import newsletter_demo


def seed(world: DemoWorld) -> None:
    newsletter_demo.seed(world)
