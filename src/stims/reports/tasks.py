"""Reports are generated in the background (`stims worker`; at once in tests): the page polls the
report's progress."""

from django_tasks import task

from . import services


@task()
def generate_report(report_id: int) -> str:
    return services.generate(report_id).status
