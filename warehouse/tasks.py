from celery import shared_task

from warehouse.services import purge_expired_reservations


@shared_task(name="warehouse.purge_reservations", ignore_result=True)
def purge_reservations_task() -> int:
    """Expired holds are already ignored; this only keeps the table small."""
    return purge_expired_reservations()
